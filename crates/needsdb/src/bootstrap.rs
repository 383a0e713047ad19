//! What every start does first: bring the schema up to date, load the
//! reference data, and make sure there is an administrator.

use crate::password;
use needsdb_store::{Actor, MigrationReport, NewUser, Role, Store, StoreError};
use std::sync::Arc;

pub const DEFAULT_ADMIN_EMAIL: &str = "admin@localhost";

pub struct Bootstrapped {
    pub store: Arc<dyn Store>,
    pub migration: MigrationReport,
}

/// Opens the database, migrates it and creates the first administrator.
/// A generated one-time password is printed once, on standard error, so it
/// never ends up in a JSON or CSV stream on standard output.
pub async fn open(database_url: &str) -> anyhow::Result<Bootstrapped> {
    let store = needsdb_store::open(database_url).await?;
    let migration = store.migrate().await?;
    if store.user_count().await? == 0 {
        let email = std::env::var("NEEDSDB_ADMIN_EMAIL").unwrap_or_else(|_| DEFAULT_ADMIN_EMAIL.to_owned());
        let (pw, generated) = match std::env::var("NEEDSDB_ADMIN_PASSWORD") {
            Ok(p) => {
                password::check_strength(&p).map_err(|e| anyhow::anyhow!("NEEDSDB_ADMIN_PASSWORD: {e}"))?;
                (p, false)
            }
            Err(_) => (password::generate(), true),
        };
        let hash = tokio::task::spawn_blocking(move || password::hash(&pw).map(|h| (h, pw))).await?;
        let (hash, pw) = hash.map_err(anyhow::Error::msg)?;
        let user = NewUser {
            email: email.clone(),
            password_hash: hash,
            role: Role::Admin,
            country: None,
            org: None,
            must_change_password: generated,
        };
        match store.create_user(&Actor::system(), &user).await {
            Ok(_) => {}
            // Two servers starting together on an empty database: the other
            // one created the administrator first, and printed its password.
            Err(StoreError::Conflict(_)) if store.user_count().await? > 0 => {
                eprintln!("Another needsdb starting at the same time created the administrator account {email}.");
                return Ok(Bootstrapped { store, migration });
            }
            Err(e) => return Err(e.into()),
        }
        if generated {
            eprintln!("Created the administrator account {email}.");
            eprintln!("One-time password (shown only now; change it at first sign-in): {pw}");
        } else {
            eprintln!("Created the administrator account {email} with the password from NEEDSDB_ADMIN_PASSWORD.");
        }
    }
    Ok(Bootstrapped { store, migration })
}
