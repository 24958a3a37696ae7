//! Staff pages for users (search, view, lock and unlock, roles) and the list
//! of every product of the tenant.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, RawForm, State};
use axum::response::{IntoResponse, Redirect, Response};
use diesel::prelude::*;
use diesel_async::{AsyncPgConnection, RunQueryDsl};
use uuid::Uuid;

use crate::accounts::models::UserRow;
use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::{roles, user_role_assignments, users};
use crate::seller::PAGE;
use crate::web::Ctx;
use crate::web::params::IdParam;

async fn roles_of(conn: &mut AsyncPgConnection, tenant: Uuid, user: Uuid) -> QueryResult<Vec<String>> {
    user_role_assignments::table
        .inner_join(roles::table)
        .filter(user_role_assignments::tenant_id.eq(tenant))
        .filter(user_role_assignments::user_id.eq(user))
        .select(roles::code)
        .order(roles::code)
        .load(conn)
        .await
}

/// 404 unless `id` is a user of this tenant.
async fn ensure_user(conn: &mut AsyncPgConnection, tenant: Uuid, id: Uuid) -> AppResult<()> {
    let n: i64 =
        users::table.filter(users::tenant_id.eq(tenant)).filter(users::id.eq(id)).count().get_result(conn).await?;
    if n == 0 { Err(AppError::NotFound) } else { Ok(()) }
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/users.html")]
pub struct ListPage {
    ctx: Ctx,
    q: String,
    rows: Vec<(String, String, String, bool, String)>,
    next: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct UserParams {
    #[serde(default)]
    q: String,
    #[serde(default)]
    after: String,
}

pub async fn list(State(state): State<AppState>, ctx: Ctx, Query(p): Query<UserParams>) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::USERS_VIEW).await?;
    let tenant = staff.tenant;
    let after = match p.after.as_str() {
        "" => None,
        c => match crate::web::pagination::Cursor::decode(c, crate::web::pagination::Sort::Newest) {
            Some(crate::web::pagination::Cursor::Newest { at, id }) => Some((at, id)),
            _ => return Err(AppError::BadRequest("error-bad-cursor")),
        },
    };
    let needle = p.q.trim().to_lowercase();
    let mut rows: Vec<UserRow> = state
        .tx(tenant, async |c| {
            let mut q = users::table.filter(users::tenant_id.eq(tenant)).into_boxed();
            if !needle.is_empty() {
                let like = format!("%{}%", needle.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_"));
                q = q.filter(
                    users::email
                        .like(like.clone())
                        .or(users::full_name.ilike(like.clone()))
                        .or(users::phone.like(like)),
                );
            }
            if let Some((at, id)) = after {
                q = q.filter(users::created_at.lt(at).or(users::created_at.eq(at).and(users::id.lt(id))));
            }
            q.order((users::created_at.desc(), users::id.desc()))
                .limit(PAGE + 1)
                .select(UserRow::as_select())
                .load(c)
                .await
        })
        .await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next = if more {
        rows.last().map(|l| {
            let cursor = crate::web::pagination::Cursor::Newest { at: l.created_at, id: l.id }.encode();
            let q = serde_urlencoded::to_string([("q", p.q.as_str()), ("after", &cursor)]).unwrap_or_default();
            format!("{}?{q}", ctx.href("/admin/users"))
        })
    } else {
        None
    };
    let rows = rows
        .iter()
        .map(|u| {
            (
                ctx.href(&format!("/admin/users/{}", u.id)),
                u.email.clone(),
                u.full_name.clone(),
                u.is_active,
                ctx.date_time(u.created_at),
            )
        })
        .collect();
    Ok(ListPage { ctx, q: p.q, rows, next }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "admin/user.html")]
pub struct UserPage {
    ctx: Ctx,
    user: UserRow,
    roles: Vec<(String, String, bool, bool)>,
    can_lock: bool,
    can_roles: bool,
    is_self: bool,
    last_login: String,
    audit: Vec<super::audit::EntryView>,
    notice: Option<String>,
}

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    #[serde(default)]
    done: String,
}

/// Only a SUPER_ADMIN may lock or change the roles of another SUPER_ADMIN, or grant that role.
fn may_manage(staff: &rbac::Staff, target_roles: &[String]) -> bool {
    staff.user.has_role("SUPER_ADMIN") || !target_roles.iter().any(|r| r == "SUPER_ADMIN")
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    Query(n): Query<Notice>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::USERS_VIEW).await?;
    let tenant = staff.tenant;
    let show_audit = staff.user.can(rbac::AUDIT_VIEW);
    let (user, held, all, audit) = state
        .tx(tenant, async |c| {
            let user = users::table
                .filter(users::tenant_id.eq(tenant))
                .filter(users::id.eq(id))
                .select(UserRow::as_select())
                .first(c)
                .await
                .optional()?
                .ok_or(AppError::NotFound)?;
            let held = roles_of(c, tenant, id).await?;
            let all: Vec<String> = roles::table.select(roles::code).order(roles::code).load(c).await?;
            let filter = super::audit::Filter { entity_id: Some(id.to_string()), ..Default::default() };
            let audit = if show_audit { super::audit::entries(c, tenant, &filter, 10).await? } else { Vec::new() };
            Ok::<_, AppError>((user, held, all, audit))
        })
        .await?;
    let manage = may_manage(&staff, &held);
    let grant_super = staff.user.has_role("SUPER_ADMIN");
    let roles = all
        .iter()
        .map(|r| {
            let held = held.contains(r);
            let enabled = manage && (r != "SUPER_ADMIN" || grant_super);
            (r.clone(), ctx.t(&format!("role-{}", r.to_ascii_lowercase().replace('_', "-"))), held, enabled)
        })
        .collect();
    let notice = match n.done.as_str() {
        "locked" => Some(ctx.t("admin-user-locked")),
        "unlocked" => Some(ctx.t("admin-user-unlocked")),
        "roles" => Some(ctx.t("admin-user-roles-saved")),
        _ => None,
    };
    let audit = audit.iter().map(|e| super::audit::EntryView::new(&ctx, e)).collect();
    Ok(UserPage {
        last_login: user.last_login_at.map(|t| ctx.date_time(t)).unwrap_or_default(),
        is_self: user.id == staff.user.id,
        can_lock: manage && staff.user.can(rbac::USERS_LOCK),
        can_roles: manage && staff.user.can(rbac::USERS_ROLES),
        user,
        roles,
        audit,
        notice,
        ctx,
    }
    .into_response())
}

#[derive(serde::Deserialize)]
pub struct LockForm {
    action: String,
}

pub async fn lock(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    axum::Form(form): axum::Form<LockForm>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::USERS_LOCK).await?;
    let tenant = staff.tenant;
    let active = match form.action.as_str() {
        "lock" => false,
        "unlock" => true,
        _ => return Err(AppError::BadRequest("error-bad-request")),
    };
    if id == staff.user.id {
        return Err(AppError::Conflict("admin-cannot-lock-self"));
    }
    let actor = ctx.actor();
    state
        .tx(tenant, async |c| {
            let held = roles_of(c, tenant, id).await?;
            ensure_user(c, tenant, id).await?;
            if !may_manage(&staff, &held) {
                return Err(AppError::Forbidden("admin-not-allowed"));
            }
            set_actor(c, &actor).await?;
            diesel::update(users::table.filter(users::tenant_id.eq(tenant)).filter(users::id.eq(id)))
                .set((users::is_active.eq(active), users::updated_at.eq(diesel::dsl::now)))
                .execute(c)
                .await?;
            if !active {
                // Signed out everywhere at once, not when a cache expires.
                diesel::sql_query("DELETE FROM sessions WHERE data ->> 'uid' = $1")
                    .bind::<diesel::sql_types::Text, _>(id.to_string())
                    .execute(c)
                    .await?;
            }
            Ok::<_, AppError>(())
        })
        .await?;
    state.users.remove(&(tenant, id));
    let done = if active { "unlocked" } else { "locked" };
    Ok(Redirect::to(&ctx.href(&format!("/admin/users/{id}?done={done}"))).into_response())
}

/// Replaces the user's roles with the checked ones (`role=CUSTOMER&role=VENDOR`).
pub async fn set_roles(
    State(state): State<AppState>,
    ctx: Ctx,
    IdParam(id): IdParam,
    RawForm(body): RawForm,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::USERS_ROLES).await?;
    let tenant = staff.tenant;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest("error-bad-request"))?;
    let mut wanted: Vec<String> = pairs.into_iter().filter(|(k, _)| k == "role").map(|(_, v)| v).collect();
    wanted.sort();
    wanted.dedup();
    if id == staff.user.id {
        return Err(AppError::Conflict("admin-cannot-change-own-roles"));
    }
    let actor = ctx.actor();
    state
        .tx(tenant, async |c| {
            ensure_user(c, tenant, id).await?;
            let held = roles_of(c, tenant, id).await?;
            let touches_super = held.iter().chain(&wanted).any(|r| r == "SUPER_ADMIN");
            if touches_super && !staff.user.has_role("SUPER_ADMIN") {
                return Err(AppError::Forbidden("admin-not-allowed"));
            }
            let found: Vec<(Uuid, String)> =
                roles::table.filter(roles::code.eq_any(&wanted)).select((roles::id, roles::code)).load(c).await?;
            if found.len() != wanted.len() {
                return Err(AppError::BadRequest("error-bad-request"));
            }
            set_actor(c, &actor).await?;
            let keep: Vec<Uuid> = found.iter().map(|(r, _)| *r).collect();
            diesel::delete(
                user_role_assignments::table
                    .filter(user_role_assignments::tenant_id.eq(tenant))
                    .filter(user_role_assignments::user_id.eq(id))
                    .filter(user_role_assignments::role_id.ne_all(&keep)),
            )
            .execute(c)
            .await?;
            let rows: Vec<_> = keep
                .iter()
                .map(|r| {
                    (
                        user_role_assignments::id.eq(Uuid::now_v7()),
                        user_role_assignments::tenant_id.eq(tenant),
                        user_role_assignments::user_id.eq(id),
                        user_role_assignments::role_id.eq(*r),
                    )
                })
                .collect();
            diesel::insert_into(user_role_assignments::table).values(&rows).on_conflict_do_nothing().execute(c).await?;
            Ok::<_, AppError>(())
        })
        .await?;
    state.users.remove(&(tenant, id));
    Ok(Redirect::to(&ctx.href(&format!("/admin/users/{id}?done=roles"))).into_response())
}
