use clap::Parser as _;

use bazaar::config::{Cli, Command, TenantAction, UserAction};

// glibc's malloc took a tenth of the machine under load (a page is built from
// many small strings, freed across tokio's threads); mimalloc's per-thread
// heaps handle that pattern with a fraction of the work.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,tower_sessions=warn,tokio_postgres=warn".into()),
        )
        .with_target(false)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stdout()))
        .init();
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("bazaar: cannot start the async runtime: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let result = runtime.block_on(async {
        match cli.command.unwrap_or(Command::Serve) {
            Command::Serve => bazaar::server::serve(cli.config).await,
            Command::Worker => bazaar::server::worker(cli.config).await,
            Command::Migrate => bazaar::server::migrate_only(cli.config).await,
            Command::Seed => bazaar::server::seed(cli.config).await,
            Command::Tenant { action: TenantAction::Create { name, domain, slug, name_fa, name_ar } } => {
                let new = bazaar::tenant::NewTenant { slug, name, name_fa, name_ar, domain };
                bazaar::ops::create_tenant(cli.config, new).await
            }
            Command::User { action: UserAction::Create { tenant, email, role, name } } => {
                bazaar::ops::create_user(cli.config, &tenant, &email, &role, &name).await
            }
            Command::User { action: UserAction::ResetPassword { tenant, email } } => {
                bazaar::ops::reset_password(cli.config, &tenant, &email).await
            }
            Command::Secrets { action: bazaar::config::SecretsAction::NewKey } => {
                println!("{}", bazaar::secrets::SecretBox::new_key_base64());
                Ok(())
            }
            Command::Secrets { action: bazaar::config::SecretsAction::Rotate } => {
                bazaar::server::rotate_secrets(cli.config).await
            }
            Command::DemoData { products, tenant, domain } => {
                bazaar::server::demo_data(cli.config, products, &tenant, &domain).await
            }
        }
    });
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            // One clear paragraph, no backtrace.
            eprintln!("bazaar: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
