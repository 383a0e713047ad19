//! Notifications by e-mail, when an SMTP server is configured: every
//! notice a user's feed shows from the moment the server started is mailed
//! to them once, with an absolute link. Several servers may run: a notice is
//! claimed in the database before it is sent, so only one sends it.
//!
//! NEEDSDB_SMTP_URL: `smtp://host:25` (plain, a local relay),
//! `smtp://user:password@host:587?tls=required` (STARTTLS) or
//! `smtps://user:password@host` (TLS). NEEDSDB_MAIL_FROM: the sender.
//! NEEDSDB_PUBLIC_URL: the address links point to.

use crate::services::notifications::{self, Notice};
use anyhow::Context;
use chrono::{DateTime, Utc};
use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use needsdb_store::{Store, User};
use std::sync::Arc;
use std::time::Duration;

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    base: String,
    every: Duration,
}

impl Mailer {
    /// The mailer the environment configures, or None without NEEDSDB_SMTP_URL.
    pub fn from_env() -> anyhow::Result<Option<Self>> {
        let Ok(url) = std::env::var("NEEDSDB_SMTP_URL") else {
            return Ok(None);
        };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&url)
            .with_context(|| {
                format!(
                    "NEEDSDB_SMTP_URL '{}' is not an SMTP address",
                    needsdb_store::redact(&url)
                )
            })?
            .timeout(Some(Duration::from_secs(30)))
            .build();
        let from = std::env::var("NEEDSDB_MAIL_FROM").unwrap_or_else(|_| "needsdb <needsdb@localhost>".into());
        let from: Mailbox = from
            .parse()
            .with_context(|| format!("NEEDSDB_MAIL_FROM '{from}' is not an e-mail address"))?;
        let base = std::env::var("NEEDSDB_PUBLIC_URL")
            .unwrap_or_else(|_| "http://127.0.0.1:8080".into())
            .trim_end_matches('/')
            .to_owned();
        let every = std::env::var("NEEDSDB_MAIL_EVERY_SECONDS")
            .ok()
            .and_then(|s| s.parse().ok())
            .map_or(Duration::from_secs(60), Duration::from_secs);
        Ok(Some(Self {
            transport,
            from,
            base,
            every,
        }))
    }

    fn message(&self, to: &User, n: &Notice) -> anyhow::Result<Message> {
        let to: Mailbox = to
            .email
            .parse()
            .with_context(|| format!("'{}' is not an address", to.email))?;
        Ok(Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("needsdb: {}", n.title))
            .body(format!(
                "{}\n\n{}\n\n{}{}\n\n(You receive this because of your role in needsdb. Your notifications are also at {}/api/v1/notifications.)\n",
                n.title, n.summary, self.base, n.path, self.base
            ))?)
    }

    /// Sends what is new since `since`, to every active user, once.
    pub async fn tick(&self, store: &dyn Store, since: DateTime<Utc>) -> anyhow::Result<usize> {
        let mut sent = 0;
        let changes = notifications::recent(store).await?;
        for u in store.users().await?.into_iter().filter(|u| !u.disabled) {
            for n in notifications::for_user_in(store, &u, &changes).await? {
                if n.at < since || !store.claim_mail(u.id, &n.id).await? {
                    continue;
                }
                let outcome = match self.message(&u, &n) {
                    Ok(m) => match self.transport.send(m).await {
                        Ok(_) => {
                            sent += 1;
                            "sent".to_owned()
                        }
                        Err(e) => format!("failed: {e}"),
                    },
                    Err(e) => format!("failed: {e}"),
                };
                if outcome != "sent" {
                    tracing::warn!(user = u.id, notice = %n.id, %outcome, "notification e-mail not sent");
                }
                store.mail_outcome(u.id, &n.id, &outcome).await?;
            }
        }
        Ok(sent)
    }

    /// Sends notifications for as long as the server runs.
    pub async fn run(self, store: Arc<dyn Store>) {
        let since = Utc::now();
        loop {
            tokio::time::sleep(self.every).await;
            match self.tick(store.as_ref(), since).await {
                Ok(0) => {}
                Ok(n) => tracing::info!(sent = n, "notification e-mails sent"),
                Err(e) => tracing::warn!(error = %e, "notification e-mails: will try again"),
            }
        }
    }
}
