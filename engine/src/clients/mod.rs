//! Network clients: they talk to a service and say what it answered, bounded in time and size,
//! and judge nothing. The judgements (healthy, degraded, unverified) are in `crate::probe`.

pub mod inngest;
pub mod redis_ping;
