//! The practice services' env files, in the data directory: made on first start in relaxed
//! mode (REDIS_REQUIRED=false, INNGEST_REQUIRED=false, the reference team's situation today),
//! with fresh random secrets; at each later start only the addresses are brought up to date
//! (ports are new each time), so the flags an operator set survive a restart.

use std::path::Path;

use domain::practice::Side;

use crate::random;

/// The two strict flags.
pub const STRICT_FLAGS: [&str; 2] = ["REDIS_REQUIRED", "INNGEST_REQUIRED"];

/// Makes the file when it is missing, and sets its addresses either way.
pub fn prepare(path: &Path, side: Side, redis_url: &str, webhook_url: &str) -> Result<(), String> {
    if !path.exists() {
        write(path, &fresh(side)?)?;
    }
    set_values(
        path,
        &[
            ("REDIS_URL", redis_url),
            ("INNGEST_WEBHOOK_URL", webhook_url),
        ],
    )
}

/// Sets both strict flags to `on`.
pub fn set_strict(path: &Path, on: bool) -> Result<(), String> {
    let value = if on { "true" } else { "false" };
    set_values(path, &STRICT_FLAGS.map(|k| (k, value)))
}

/// Rewrites the lines of `values`' keys (appending the ones the file lacks), keeping every
/// other line as it was; the file is replaced whole, so a reader never sees half of it.
pub fn set_values(path: &Path, values: &[(&str, &str)]) -> Result<(), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let mut done = vec![false; values.len()];
    let mut out = String::with_capacity(text.len() + 64);
    for line in text.lines() {
        let key = line.split_once('=').map(|(k, _)| k.trim());
        match values.iter().position(|(k, _)| Some(*k) == key) {
            Some(i) => {
                out.push_str(&format!("{}={}\n", values[i].0, values[i].1));
                done[i] = true;
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    for (i, (key, value)) in values.iter().enumerate() {
        if !done[i] {
            out.push_str(&format!("{key}={value}\n"));
        }
    }
    write(path, &out)
}

fn write(path: &Path, text: &str) -> Result<(), String> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut file = tempfile::NamedTempFile::new_in(dir)
        .map_err(|e| format!("cannot write in {}: {e}", dir.display()))?;
    std::io::Write::write_all(&mut file, text.as_bytes())
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    file.persist(path)
        .map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
    Ok(())
}

/// A token of `len` letters and digits from the operating system's random source.
fn token(len: usize) -> Result<String, String> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let bytes = random::bytes::<64>().map_err(|e| e.to_string())?;
    Ok(bytes
        .iter()
        .take(len)
        .map(|b| ALPHABET[usize::from(*b) % ALPHABET.len()] as char)
        .collect())
}

fn fresh(side: Side) -> Result<String, String> {
    let name = side.name();
    let signing = domain::auth::hex(&random::bytes::<32>().map_err(|e| e.to_string())?);
    let prefix = match side {
        Side::Staging => "test",
        Side::Production => "prod",
    };
    Ok(format!(
        "# Env file of the \"{name}\" practice service, made by Greenlight's practice mode.\n\
         # The practice panel sets the strict flags here; \"Redeploy\" restarts the service with\n\
         # this file. The secrets are random and only good for this practice service.\n\
         ENVIRONMENT={name}\n\
         LOG_LEVEL=INFO\n\
         ANTHROPIC_API_KEY=practice-{anthropic}\n\
         OPENAI_API_KEY=practice-{openai}\n\
         REDIS_URL=\n\
         REDIS_REQUIRED=false\n\
         INNGEST_REQUIRED=false\n\
         INNGEST_SIGNING_KEY=signkey-{prefix}-{signing}\n\
         INNGEST_EVENT_KEY={event}\n\
         INNGEST_APP_ID=practice-{name}\n\
         INNGEST_WEBHOOK_URL=\n\
         DASHBOARD_AUTH_TOKEN={dashboard}\n\
         SUPABASE_URL=https://practice-db.invalid\n\
         SUPABASE_KEY={supabase}\n\
         CLAY_API_KEY={clay}\n\
         GHL_API_KEY={ghl}\n\
         GHL_LOCATION_ID=practice-location\n",
        anthropic = token(24)?,
        openai = token(24)?,
        event = token(32)?,
        dashboard = token(32)?,
        supabase = token(32)?,
        clay = token(32)?,
        ghl = token(32)?,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use domain::env_file::EnvFile;

    #[test]
    fn a_fresh_file_is_relaxed_and_passes_the_validator_once_it_has_addresses() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("staging.env");
        prepare(
            &path,
            Side::Staging,
            "redis://127.0.0.1:1234/0",
            "http://127.0.0.1:5678/api/inngest",
        )
        .unwrap();
        let file = EnvFile::parse(&std::fs::read_to_string(&path).unwrap());
        assert!(!file.flag("REDIS_REQUIRED") && !file.flag("INNGEST_REQUIRED"));
        assert_eq!(file.get("REDIS_URL"), Some("redis://127.0.0.1:1234/0"));
        let report = domain::validator::validate(&file, domain::Mode::Staging, None);
        assert!(report.passed, "{report:?}");

        // A later start keeps the secrets and the flags, and moves the addresses.
        set_strict(&path, true).unwrap();
        let before = std::fs::read_to_string(&path).unwrap();
        prepare(
            &path,
            Side::Staging,
            "redis://127.0.0.1:4321/0",
            "http://x/api/inngest",
        )
        .unwrap();
        let after = EnvFile::parse(&std::fs::read_to_string(&path).unwrap());
        assert!(after.flag("REDIS_REQUIRED") && after.flag("INNGEST_REQUIRED"));
        assert_eq!(after.get("REDIS_URL"), Some("redis://127.0.0.1:4321/0"));
        let key = |f: &EnvFile| f.get("INNGEST_SIGNING_KEY").map(str::to_string);
        assert_eq!(key(&after), key(&EnvFile::parse(&before)));
    }
}
