//! `needsdb users ...` and `needsdb tokens ...`, for bootstrap and automation.

use super::args::{TokensCmd, UsersCmd};
use super::{Format, output, store};
use crate::services::accounts;
use anyhow::anyhow;
use needsdb_store::{Actor, Role, Store, StoreError, User, UserUpdate};

async fn find(s: &dyn Store, email: &str) -> anyhow::Result<User> {
    match s.user_by_email(email).await? {
        Some((u, _)) => Ok(u),
        None => Err(StoreError::not_found("account", email).into()),
    }
}

const USER_COLUMNS: &[&str] = &[
    "id",
    "email",
    "role",
    "country",
    "org",
    "must_change_password",
    "disabled",
];

pub async fn users(db: &str, fmt: Format, cmd: UsersCmd) -> anyhow::Result<()> {
    let s = store(db).await?;
    match cmd {
        UsersCmd::Add {
            email,
            role,
            country,
            org,
        } => {
            let role = Role::parse(&role)
                .ok_or_else(|| anyhow!("'{role}' is not a role (admin, secretariat, focal_point, partner, viewer)"))?;
            let (user, pw) = accounts::add_user(s.as_ref(), &Actor::cli(), &email, role, country, org, None).await?;
            output::print_value(fmt, &serde_json::to_value(&user)?, USER_COLUMNS)?;
            if let Some(pw) = pw {
                eprintln!(
                    "One-time password for {} (shown only now; it must be changed at first sign-in): {pw}",
                    user.email
                );
            }
            Ok(())
        }
        UsersCmd::ResetPassword { email } => {
            let user = find(s.as_ref(), &email).await?;
            let pw = accounts::reset_password(s.as_ref(), &Actor::cli(), user.id).await?;
            eprintln!("New one-time password for {} (shown only now): {pw}", user.email);
            Ok(())
        }
        UsersCmd::Update {
            email,
            role,
            country,
            org,
        } => {
            let user = find(s.as_ref(), &email).await?;
            let bind = |v: Option<String>| v.map(|v| (!v.eq_ignore_ascii_case("none")).then_some(v));
            let change = UserUpdate {
                role,
                country: bind(country),
                org: bind(org),
                disabled: None,
            };
            let u = s.update_user(&Actor::cli(), user.id, &change).await?;
            output::print_value(fmt, &serde_json::to_value(&u)?, USER_COLUMNS)
        }
        UsersCmd::Disable { email } => set_disabled(s.as_ref(), fmt, &email, true).await,
        UsersCmd::Enable { email } => set_disabled(s.as_ref(), fmt, &email, false).await,
        UsersCmd::List => {
            let rows: Vec<_> = s
                .users()
                .await?
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, USER_COLUMNS, None)
        }
    }
}

async fn set_disabled(s: &dyn Store, fmt: Format, email: &str, disabled: bool) -> anyhow::Result<()> {
    let user = find(s, email).await?;
    let change = UserUpdate {
        disabled: Some(disabled),
        ..Default::default()
    };
    let u = s.update_user(&Actor::cli(), user.id, &change).await?;
    output::print_value(fmt, &serde_json::to_value(&u)?, USER_COLUMNS)
}

const TOKEN_COLUMNS: &[&str] = &["id", "user_id", "name", "prefix", "created_at", "expires_at", "revoked"];

pub async fn tokens(db: &str, fmt: Format, cmd: TokensCmd) -> anyhow::Result<()> {
    let s = store(db).await?;
    match cmd {
        TokensCmd::Create { email, expires, name } => {
            let user = find(s.as_ref(), &email).await?;
            let (token, info) = accounts::create_token(s.as_ref(), &Actor::cli(), user.id, &name, expires).await?;
            match fmt {
                // Scripts read the token from standard output.
                Format::Json => output::print_value(fmt, &serde_json::json!({"token": token, "info": info}), &[]),
                _ => {
                    println!("{token}");
                    eprintln!(
                        "API token {} for {} (shown only now; send it as 'Authorization: Bearer <token>').",
                        info.id, user.email
                    );
                    Ok(())
                }
            }
        }
        TokensCmd::Revoke { id } => {
            let t = s.revoke_token(&Actor::cli(), id).await?;
            output::print_value(fmt, &serde_json::to_value(t)?, TOKEN_COLUMNS)
        }
        TokensCmd::List { email } => {
            let user = match email {
                Some(e) => Some(find(s.as_ref(), &e).await?.id),
                None => None,
            };
            let rows: Vec<_> = s
                .tokens(user)
                .await?
                .into_iter()
                .map(serde_json::to_value)
                .collect::<Result<_, _>>()?;
            output::print_rows(fmt, &rows, TOKEN_COLUMNS, None)
        }
    }
}
