//! The audit log viewer: newest first, filtered by who, what, when and which
//! entity; keyset-paged by id.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Jsonb, Nullable, Text, Timestamptz, Uuid as SqlUuid};
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::web::Ctx;

#[derive(QueryableByName, Debug)]
pub struct Entry {
    #[diesel(sql_type = BigInt)]
    pub id: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub who: Option<String>,
    #[diesel(sql_type = Text)]
    pub action: String,
    #[diesel(sql_type = Text)]
    pub entity_type: String,
    #[diesel(sql_type = Nullable<Text>)]
    pub entity_id: Option<String>,
    #[diesel(sql_type = Nullable<Jsonb>)]
    pub old_values: Option<serde_json::Value>,
    #[diesel(sql_type = Nullable<Jsonb>)]
    pub new_values: Option<serde_json::Value>,
    #[diesel(sql_type = Nullable<Text>)]
    pub ip: Option<String>,
    #[diesel(sql_type = Nullable<Text>)]
    pub user_agent: Option<String>,
    #[diesel(sql_type = Timestamptz)]
    pub created_at: OffsetDateTime,
}

#[derive(Default, Debug)]
pub struct Filter {
    pub user: Option<Uuid>,
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub from: Option<OffsetDateTime>,
    pub to: Option<OffsetDateTime>,
    pub before: Option<i64>,
}

pub async fn entries(conn: &mut AsyncPgConnection, tenant: Uuid, f: &Filter, limit: i64) -> QueryResult<Vec<Entry>> {
    // Every filter is a bound parameter; NULL means "any".
    diesel::sql_query(
        "SELECT a.id, u.email AS who, a.action, a.entity_type, a.entity_id, a.old_values, a.new_values,
                host(a.ip_address) AS ip, a.user_agent, a.created_at
         FROM audit_logs a LEFT JOIN users u ON u.id = a.user_id
         WHERE a.tenant_id = $1
           AND ($2::uuid IS NULL OR a.user_id = $2)
           AND ($3::text IS NULL OR a.entity_type = $3)
           AND ($4::text IS NULL OR a.entity_id = $4)
           AND ($5::text IS NULL OR a.action = $5)
           AND ($6::timestamptz IS NULL OR a.created_at >= $6)
           AND ($7::timestamptz IS NULL OR a.created_at < $7)
           AND ($8::bigint IS NULL OR a.id < $8)
         ORDER BY a.id DESC LIMIT $9",
    )
    .bind::<SqlUuid, _>(tenant)
    .bind::<Nullable<SqlUuid>, _>(f.user)
    .bind::<Nullable<Text>, _>(f.entity_type.as_deref())
    .bind::<Nullable<Text>, _>(f.entity_id.as_deref())
    .bind::<Nullable<Text>, _>(f.action.as_deref())
    .bind::<Nullable<Timestamptz>, _>(f.from)
    .bind::<Nullable<Timestamptz>, _>(f.to)
    .bind::<Nullable<BigInt>, _>(f.before)
    .bind::<BigInt, _>(limit)
    .load(conn)
    .await
}

/// An entry ready to print: changed fields as `field: old → new`.
pub struct EntryView {
    pub id: i64,
    pub when: String,
    pub who: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub changes: Vec<(String, String, String)>,
    pub ip: String,
    pub user_agent: String,
}

fn show(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.chars().take(120).collect(),
        Some(other) => other.to_string().chars().take(120).collect(),
    }
}

impl EntryView {
    pub fn new(ctx: &Ctx, e: &Entry) -> Self {
        let empty = serde_json::Map::new();
        let old = e.old_values.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
        let new = e.new_values.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
        let mut keys: Vec<&String> = old.keys().chain(new.keys()).collect();
        keys.sort();
        keys.dedup();
        let changes = keys
            .into_iter()
            .filter(|k| !matches!(k.as_str(), "id" | "tenant_id" | "created_at" | "updated_at"))
            .map(|k| (k.clone(), show(old.get(k)), show(new.get(k))))
            .collect();
        Self {
            id: e.id,
            // Microseconds, as recorded.
            when: format!(
                "{} {}",
                ctx.date_time(e.created_at),
                ctx.digits().apply(&format!(
                    "{:02}.{:06}",
                    e.created_at.to_offset(crate::i18n::calendar::TEHRAN).second(),
                    e.created_at.microsecond()
                ))
            ),
            who: e.who.clone().unwrap_or_else(|| ctx.t("audit-system")),
            action: ctx.t(&format!("audit-action-{}", e.action.to_ascii_lowercase())),
            entity: e.entity_type.clone(),
            entity_id: e.entity_id.clone().unwrap_or_default(),
            changes,
            ip: e.ip.clone().unwrap_or_default(),
            user_agent: e.user_agent.clone().unwrap_or_default(),
        }
    }
}

/// Entities the log records (the filter's choices): exactly the tables with
/// an `audit_row` trigger (tests/schema.rs checks).
pub const ENTITIES: [&str; 9] = [
    "users",
    "user_role_assignments",
    "role_permissions",
    "permissions",
    "products",
    "vendors",
    "settings",
    "orders",
    "payments",
];

#[derive(serde::Deserialize, Default)]
pub struct Params {
    #[serde(default)]
    who: String,
    #[serde(default)]
    entity: String,
    #[serde(default)]
    entity_id: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditPage {
    ctx: Ctx,
    p: Params,
    entries: Vec<EntryView>,
    entities: &'static [&'static str],
    next: Option<String>,
    who_unknown: bool,
}

/// `2026-11-23` as the start of that Tehran day.
fn day(s: &str) -> AppResult<Option<OffsetDateTime>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let fmt = time::macros::format_description!("[year]-[month]-[day]");
    let d = time::Date::parse(s.trim(), &fmt).map_err(|_| AppError::BadRequest("audit-bad-date"))?;
    Ok(Some(d.midnight().assume_offset(crate::i18n::calendar::TEHRAN)))
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, Query(p): Query<Params>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::AUDIT_VIEW).await?;
    let tenant = staff.tenant;
    let entity_type = match p.entity.as_str() {
        "" => None,
        e if ENTITIES.contains(&e) => Some(e.to_owned()),
        _ => return Err(AppError::BadRequest("error-bad-request")),
    };
    let action = match p.action.as_str() {
        "" => None,
        a @ ("INSERT" | "UPDATE" | "DELETE") => Some(a.to_owned()),
        _ => return Err(AppError::BadRequest("error-bad-request")),
    };
    let before = match p.before.as_str() {
        "" => None,
        b => Some(b.parse::<i64>().map_err(|_| AppError::BadRequest("error-bad-cursor"))?),
    };
    let (from, to) = (day(&p.from)?, day(&p.to)?.map(|t| t + time::Duration::days(1)));
    let who = p.who.trim().to_lowercase();
    let entity_id = Some(p.entity_id.trim().to_owned()).filter(|s| !s.is_empty());
    let (rows, who_unknown) = state
        .tx(tenant, async |c| {
            use crate::schema::users;
            let user = if who.is_empty() {
                None
            } else {
                users::table
                    .filter(users::tenant_id.eq(tenant))
                    .filter(users::email.eq(&who))
                    .select(users::id)
                    .first::<Uuid>(c)
                    .await
                    .optional()?
            };
            if !who.is_empty() && user.is_none() {
                return Ok((Vec::new(), true));
            }
            let f = Filter { user, entity_type, entity_id, action, from, to, before };
            Ok::<_, diesel::result::Error>((entries(c, tenant, &f, 51).await?, false))
        })
        .await?;
    let more = rows.len() > 50;
    let entries: Vec<EntryView> = rows.iter().take(50).map(|e| EntryView::new(&ctx, e)).collect();
    let next = if more {
        entries.last().map(|last| {
            let q = serde_urlencoded::to_string([
                ("who", p.who.as_str()),
                ("entity", p.entity.as_str()),
                ("entity_id", p.entity_id.as_str()),
                ("action", p.action.as_str()),
                ("from", p.from.as_str()),
                ("to", p.to.as_str()),
                ("before", &last.id.to_string()),
            ])
            .unwrap_or_default();
            format!("{}?{q}", ctx.href("/admin/audit"))
        })
    } else {
        None
    };
    Ok(AuditPage { ctx, p, entries, entities: &ENTITIES, next, who_unknown }.into_response())
}
