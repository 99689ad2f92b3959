//! Operations end to end, against real parts on loopback: alert channels against real
//! receivers (an HTTP server checking signatures and payload shapes, aiosmtpd for email),
//! readiness alerts with a real redis-server stopped and started, maintenance windows, and
//! canary replays through the example runner.

mod alerting;
mod canary;
mod channels;
mod receiver;
