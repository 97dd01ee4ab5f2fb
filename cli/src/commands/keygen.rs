//! `kiln keygen`: makes an Ed25519 key pair for signing artifacts (`kiln compile --sign`)
//! and for trusting them (`kiln run --trust-key`, `RuntimeConfig::with_trusted_key`).

use clap::Args;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `kiln keygen`.
#[derive(Args)]
pub struct KeygenArgs {
    /// Writes the secret key to NAME.key (readable by the owner only) and the public key to
    /// NAME.pub.
    #[arg(short, long, value_name = "NAME")]
    output: PathBuf,
    /// Replace key files that already exist.
    #[arg(long)]
    force: bool,
}

/// `NAME` with `.ext` appended (not replacing an extension NAME may already have).
fn with_suffix(name: &Path, ext: &str) -> PathBuf {
    let mut s = name.as_os_str().to_owned();
    s.push(ext);
    PathBuf::from(s)
}

/// Writes `text` to a new file at `path` with mode `mode` (refusing to replace one unless
/// `force`).
fn write_new(path: &Path, text: &str, mode: u32, force: bool) -> Result<(), String> {
    use std::os::unix::fs::OpenOptionsExt;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).mode(mode);
    if force {
        options.create(true).truncate(true);
    } else {
        options.create_new(true);
    }
    let mut f = options.open(path).map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    f.write_all(text.as_bytes()).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// Generates the key pair and writes the two files; prints the key's fingerprint.
pub fn keygen(a: KeygenArgs) -> Result<ExitCode, String> {
    let key = kiln::generate_signing_key().map_err(|e| e.to_string())?;
    let (secret, public) = (with_suffix(&a.output, ".key"), with_suffix(&a.output, ".pub"));
    write_new(&secret, &key.to_text(), 0o600, a.force)?;
    write_new(&public, &key.public_key().to_text(), 0o644, a.force)?;
    println!(
        "wrote {} (secret) and {} (public); fingerprint {}",
        secret.display(),
        public.display(),
        key.public_key().fingerprint()
    );
    Ok(ExitCode::SUCCESS)
}

/// Reads a secret key file (`NAME.key`).
pub fn read_secret_key(path: &Path) -> Result<kiln::SecretKey, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    kiln::SecretKey::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}

/// Reads a public key file (`NAME.pub`).
pub fn read_public_key(path: &Path) -> Result<kiln::PublicKey, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    kiln::PublicKey::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
}
