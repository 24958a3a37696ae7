//! A private PostgreSQL cluster run from the system's PostgreSQL binaries.
//!
//! No crate does this with system binaries (the `postgresql_embedded` family
//! downloads its own builds, which this network cannot reach), so it is ours:
//! find the binaries, `initdb` once, start on a Unix socket inside the data
//! folder with no TCP port, and stop on shutdown. Under root the cluster runs
//! as an unprivileged user, because PostgreSQL refuses to run as root.

use std::os::unix::fs::PermissionsExt as _;
use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What to install when no binaries are found; printed as one paragraph.
pub const MISSING_POSTGRES: &str = "Bazaar needs PostgreSQL 14 or newer to run its own database, \
and none was found in BAZAAR_PG_BIN, on PATH, or in /usr/lib/postgresql/*/bin, /usr/local/pgsql/bin, /usr/pgsql-*/bin \
or /opt/homebrew/opt/postgresql@*/bin. Install the server package (Debian/Ubuntu: \
`sudo apt-get install postgresql`; Fedora: `sudo dnf install postgresql-server`; macOS: \
`brew install postgresql@16`) and start Bazaar again, or set DATABASE_URL to use a server you run yourself.";

#[derive(Debug, thiserror::Error)]
pub enum ClusterError {
    #[error("{MISSING_POSTGRES}")]
    NotFound,
    #[error("{0}")]
    Failed(String),
}

/// The PostgreSQL binaries to use: a folder holding initdb, pg_ctl and postgres.
#[derive(Debug, Clone)]
pub struct Binaries {
    pub dir: PathBuf,
    pub major: u32,
}

impl Binaries {
    /// `BAZAAR_PG_BIN` if set (only there); else PATH first, then the folders
    /// distributions install to, where the newest ≥ 14 wins.
    pub fn find() -> Result<Self, ClusterError> {
        if let Some(dir) = std::env::var_os("BAZAAR_PG_BIN") {
            return Self::probe(Path::new(&dir)).ok_or(ClusterError::NotFound);
        }
        if let Some(path) = std::env::var_os("PATH") {
            for dir in std::env::split_paths(&path) {
                if let Some(found) = Self::probe(&dir) {
                    return Ok(found);
                }
            }
        }
        let mut candidates: Vec<PathBuf> = vec![PathBuf::from("/usr/local/pgsql/bin")];
        for pattern_root in ["/usr/lib/postgresql", "/usr", "/opt/homebrew/opt", "/usr/local/opt"] {
            if let Ok(entries) = std::fs::read_dir(pattern_root) {
                for e in entries.flatten() {
                    let name = e.file_name().to_string_lossy().into_owned();
                    // /usr/lib/postgresql/<version>/bin, /usr/pgsql-<version>/bin, …/postgresql@<version>/bin
                    if pattern_root == "/usr/lib/postgresql"
                        || name.starts_with("pgsql-")
                        || name.starts_with("postgresql@")
                    {
                        candidates.push(e.path().join("bin"));
                    }
                }
            }
        }
        candidates.iter().filter_map(|d| Self::probe(d)).max_by_key(|b| b.major).ok_or(ClusterError::NotFound)
    }

    fn probe(dir: &Path) -> Option<Self> {
        if !dir.join("initdb").is_file() || !dir.join("pg_ctl").is_file() {
            return None;
        }
        // Resolve symlinks so the binaries' own folder is used (pg_ctl finds postgres beside itself).
        let real = std::fs::canonicalize(dir.join("pg_ctl")).ok()?;
        let dir = real.parent()?.to_path_buf();
        let out = Command::new(dir.join("pg_ctl")).arg("--version").output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        let major = text.split_whitespace().last()?.split('.').next()?.parse::<u32>().ok()?;
        (major >= 14).then_some(Self { dir, major })
    }

    fn bin(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    /// Whether the server can load the module `name` (a contrib module, which
    /// most packages ship beside the server): `pg_config` says where modules
    /// live; without it, `bin/../lib`, as in Debian's and the source build's layout.
    fn has_module(&self, name: &str) -> bool {
        let dir = Command::new(self.bin("pg_config"))
            .arg("--pkglibdir")
            .output()
            .ok()
            .filter(|out| out.status.success())
            .map(|out| PathBuf::from(String::from_utf8_lossy(&out.stdout).trim()))
            .unwrap_or_else(|| self.dir.join("../lib"));
        ["so", "dylib"].iter().any(|ext| dir.join(format!("{name}.{ext}")).is_file())
    }
}

/// A cluster in `root` (holding `data/`, `run/` for the socket, and `postgres.log`).
#[derive(Debug)]
pub struct Cluster {
    pub root: PathBuf,
    bins: Binaries,
    /// Set when we run as root: the unprivileged account the server runs as.
    run_as: Option<(u32, u32)>,
    /// Whether this process started the server (and so stops it).
    started_here: bool,
}

/// Where a root-run cluster lives when its data folder is out of the
/// unprivileged account's reach (`Cluster::root_for`).
pub const SHARED_ROOT: &str = "/var/lib/bazaar";

/// The cluster's superuser; the app itself connects as a separate, non-superuser role.
pub const SUPERUSER: &str = "postgres";

impl Cluster {
    pub fn new(root: impl Into<PathBuf>) -> Result<Self, ClusterError> {
        let bins = Binaries::find()?;
        let run_as = if is_root() { Some(unprivileged_account()?) } else { None };
        let root: PathBuf = root.into();
        if root.starts_with(SHARED_ROOT) {
            // Root-owned and open to walk through, so the unprivileged account reaches its folder.
            std::fs::create_dir_all(SHARED_ROOT).map_err(|e| fail(format!("cannot create {SHARED_ROOT}: {e}")))?;
            std::fs::set_permissions(SHARED_ROOT, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| fail(format!("cannot open {SHARED_ROOT}: {e}")))?;
            if let Some(parent) = root.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| fail(format!("cannot create {}: {e}", parent.display())))?;
                std::fs::set_permissions(parent, std::fs::Permissions::from_mode(0o755))
                    .map_err(|e| fail(format!("cannot open {}: {e}", parent.display())))?;
            }
        }
        if !Self::usable_root(&root) {
            return Err(fail(format!(
                "Bazaar runs as root, so its PostgreSQL runs as an unprivileged account, which cannot enter {}. \
                 Put the data folder (BAZAAR_DATA_DIR) where that account can reach it, such as /var/lib/bazaar.",
                root.display()
            )));
        }
        // Absolute, since the server runs in its data folder and would misread relative paths.
        let root = if root.is_absolute() {
            root
        } else {
            std::env::current_dir().map_err(|e| fail(e.to_string()))?.join(root)
        };
        Ok(Self { root, bins, run_as, started_here: false })
    }

    /// Where the cluster of a data folder lives: `<data folder>/postgres`, unless
    /// we run as root and the unprivileged account cannot reach that (a
    /// checkout under `/root`, the usual place on a fresh VM or in a
    /// container): then under `/var/lib/bazaar/`, one folder per data folder,
    /// named after its path and a hash of it. The second value says why, for
    /// the log, when the cluster was moved.
    pub fn root_for(data_dir: &Path) -> (PathBuf, Option<String>) {
        let wanted = data_dir.join("postgres");
        if Self::usable_root(&wanted) {
            return (wanted, None);
        }
        let absolute = std::env::current_dir().map(|d| d.join(data_dir)).unwrap_or_else(|_| data_dir.to_owned());
        let absolute = absolute.canonicalize().unwrap_or(absolute);
        let text = absolute.display().to_string();
        let hash: String = {
            use sha2::Digest as _;
            sha2::Sha256::digest(text.as_bytes()).iter().take(4).map(|b| format!("{b:02x}")).collect()
        };
        let label: String = text.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
        let label = label.trim_matches('-');
        let label = &label[label.len().saturating_sub(40)..];
        let moved =
            PathBuf::from(SHARED_ROOT).join(format!("{}-{hash}", label.trim_start_matches('-'))).join("postgres");
        let why = format!(
            "the private PostgreSQL of {text} lives in {} (it runs as an unprivileged account, which cannot enter {})",
            moved.display(),
            wanted.display()
        );
        (moved, Some(why))
    }

    /// Whether a cluster can live in `root`: always when not root; as root, only
    /// when the unprivileged account the server runs as can walk to it.
    pub fn usable_root(root: &Path) -> bool {
        use std::os::unix::fs::MetadataExt as _;
        if !is_root() {
            return true;
        }
        let Ok((uid, gid)) = unprivileged_account() else { return false };
        let absolute = std::env::current_dir().map(|d| d.join(root)).unwrap_or_else(|_| root.to_owned());
        absolute.ancestors().skip(1).all(|dir| match std::fs::metadata(dir) {
            Ok(m) => m.uid() == uid || (m.gid() == gid && m.mode() & 0o010 != 0) || m.mode() & 0o001 != 0,
            Err(_) => true, // created later, by us
        })
    }

    pub fn data_dir(&self) -> PathBuf {
        self.root.join("data")
    }

    pub fn socket_dir(&self) -> PathBuf {
        self.root.join("run")
    }

    /// Connection string for `user` on `db` over the private socket.
    pub fn url(&self, user: &str, db: &str) -> String {
        let host = self.socket_dir().to_string_lossy().replace('%', "%25").replace('/', "%2F");
        format!("postgres://{user}@{host}/{db}")
    }

    fn command(&self, bin: &str) -> Command {
        let mut cmd = Command::new(self.bins.bin(bin));
        if let Some((uid, gid)) = self.run_as {
            cmd.uid(uid).gid(gid);
        }
        // Messages from initdb/pg_ctl in English, whatever the caller's locale.
        cmd.env("LC_MESSAGES", "C");
        cmd
    }

    /// initdb on first use; UTF-8 with a UTF-8 locale, or pg_trgm sees no Persian trigrams.
    pub fn init(&self) -> Result<bool, ClusterError> {
        let data = self.data_dir();
        if data.join("PG_VERSION").is_file() {
            return Ok(false);
        }
        for dir in [&self.root, &data, &self.socket_dir()] {
            std::fs::create_dir_all(dir).map_err(|e| fail(format!("cannot create {}: {e}", dir.display())))?;
            self.hand_over(dir)?;
        }
        let locale = utf8_locale();
        let out = self
            .command("initdb")
            .arg("-D")
            .arg(&data)
            .args(["-U", SUPERUSER, "-E", "UTF8", "--auth=trust", "--no-instructions"])
            .arg(format!("--locale={locale}"))
            .stdin(Stdio::null())
            .output()
            .map_err(|e| fail(format!("cannot run initdb: {e}")))?;
        if !out.status.success() {
            let _ = std::fs::remove_dir_all(&data);
            return Err(fail(format!("initdb failed: {}", String::from_utf8_lossy(&out.stderr).trim())));
        }
        Ok(true)
    }

    /// Starts the server unless one is already running on this data folder.
    pub fn start(&mut self) -> Result<(), ClusterError> {
        self.init()?;
        if self.is_running() {
            return Ok(());
        }
        std::fs::create_dir_all(self.socket_dir()).map_err(|e| fail(e.to_string()))?;
        self.hand_over(&self.socket_dir())?;
        let log = self.root.join("postgres.log");
        let mut opts = format!(
            "-c listen_addresses='' -c unix_socket_directories='{}' -c max_connections=200 -c shared_buffers=256MB -c jit=off",
            self.socket_dir().display()
        );
        // The cluster stops with the app, so every restart would serve its first
        // minutes from disk. pg_prewarm's autoprewarm writes down which pages
        // were in shared buffers (at shutdown and every five minutes) and reads
        // them back at start. Left out when the module is missing, or when the
        // cluster's own configuration names its preloaded libraries (an option
        // given here would override that list).
        if self.bins.has_module("pg_prewarm") && !self.configures_preload() {
            opts.push_str(" -c shared_preload_libraries=pg_prewarm");
        }
        let out = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .arg("-l")
            .arg(&log)
            .args(["-w", "-t", "60", "-o", &opts, "start"])
            .stdin(Stdio::null())
            .output()
            .map_err(|e| fail(format!("cannot run pg_ctl: {e}")))?;
        if !out.status.success() {
            let tail = std::fs::read_to_string(&log).unwrap_or_default();
            let tail: Vec<&str> = tail.lines().rev().take(5).collect();
            return Err(fail(format!(
                "PostgreSQL did not start: {} {}",
                String::from_utf8_lossy(&out.stderr).trim(),
                tail.into_iter().rev().collect::<Vec<_>>().join(" | ")
            )));
        }
        self.started_here = true;
        Ok(())
    }

    /// Whether the cluster's configuration files set `shared_preload_libraries`.
    fn configures_preload(&self) -> bool {
        ["postgresql.conf", "postgresql.auto.conf"].iter().any(|file| {
            std::fs::read_to_string(self.data_dir().join(file))
                .is_ok_and(|text| text.lines().any(|l| l.trim_start().starts_with("shared_preload_libraries")))
        })
    }

    pub fn is_running(&self) -> bool {
        self.command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .arg("status")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false)
    }

    /// Stops the server if this process started it (a fast shutdown: sessions end, data is safe).
    pub fn stop(&mut self) {
        if !self.started_here {
            return;
        }
        let _ = self
            .command("pg_ctl")
            .arg("-D")
            .arg(self.data_dir())
            .args(["-m", "fast", "-w", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        self.started_here = false;
    }

    /// Leave the server running after this value is dropped (the test harness shares it).
    pub fn detach(&mut self) {
        self.started_here = false;
    }

    fn hand_over(&self, dir: &Path) -> Result<(), ClusterError> {
        if let Some((uid, gid)) = self.run_as {
            std::os::unix::fs::chown(dir, Some(uid), Some(gid))
                .map_err(|e| fail(format!("cannot hand {} to the postgres account: {e}", dir.display())))?;
        }
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))
            .map_err(|e| fail(format!("cannot restrict {}: {e}", dir.display())))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.stop();
    }
}

fn fail(msg: impl Into<String>) -> ClusterError {
    ClusterError::Failed(msg.into())
}

fn is_root() -> bool {
    #[expect(unsafe_code, reason = "std has no geteuid")]
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe {
        libc::geteuid() == 0
    }
}

/// The account a root-started cluster runs as: `postgres` when the package made one, else `nobody`.
fn unprivileged_account() -> Result<(u32, u32), ClusterError> {
    for name in ["postgres", "nobody"] {
        if let Some(ids) = lookup_account(name) {
            return Ok(ids);
        }
    }
    Err(fail("running as root, but neither a `postgres` nor a `nobody` account exists to run PostgreSQL"))
}

fn lookup_account(name: &str) -> Option<(u32, u32)> {
    // /etc/passwd is enough here (system accounts), and avoids unsafe getpwnam.
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut f = line.split(':');
        (f.next()? == name).then_some(())?;
        let _pw = f.next()?;
        Some((f.next()?.parse().ok()?, f.next()?.parse().ok()?))
    })
}

/// A UTF-8 locale this system has: C.UTF-8 (glibc ≥ 2.35 always), else a common one.
fn utf8_locale() -> &'static str {
    let listed = Command::new("locale")
        .arg("-a")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).to_lowercase())
        .unwrap_or_default();
    for (name, key) in [("C.UTF-8", "c.utf8"), ("en_US.UTF-8", "en_us.utf8")] {
        if listed.lines().any(|l| l.trim() == key || l.trim() == name.to_lowercase()) {
            return name;
        }
    }
    "C.UTF-8"
}
