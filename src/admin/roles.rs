//! Which role holds which permission, edited by SUPER_ADMIN as one grid.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{RawForm, State};
use axum::response::{IntoResponse, Response};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use uuid::Uuid;

use crate::app::AppState;
use crate::db::set_actor;
use crate::error::{AppError, AppResult};
use crate::rbac;
use crate::schema::{permissions, role_permissions, roles};
use crate::web::Ctx;

/// Grants a SUPER_ADMIN always keeps, so nobody can lock the platform out of itself.
const LOCKED_IN: [&str; 2] = [rbac::ADMIN_ACCESS, rbac::PERMISSIONS_EDIT];

/// (permission code, description, [(field value, checked, disabled)] per role)
type Grid = Vec<(String, String, Vec<(String, bool, bool)>)>;

#[derive(Template, WebTemplate)]
#[template(path = "admin/roles.html")]
pub struct RolesPage {
    ctx: Ctx,
    roles: Vec<(String, String)>,
    grid: Grid,
    saved: bool,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    axum::extract::Query(s): axum::extract::Query<super::Saved>,
) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::PERMISSIONS_EDIT).await?;
    let tenant = staff.tenant;
    let (all_roles, perms, grants) = state
        .tx(tenant, async |c| {
            let r: Vec<(Uuid, String)> =
                roles::table.order(roles::code).select((roles::id, roles::code)).load(c).await?;
            let p: Vec<(Uuid, String, String)> = permissions::table
                .order(permissions::code)
                .select((permissions::id, permissions::code, permissions::description))
                .load(c)
                .await?;
            let g: Vec<(Uuid, Uuid)> = role_permissions::table
                .select((role_permissions::role_id, role_permissions::permission_id))
                .load(c)
                .await?;
            Ok::<_, diesel::result::Error>((r, p, g))
        })
        .await?;
    let grid = perms
        .iter()
        .map(|(pid, code, desc)| {
            let cells = all_roles
                .iter()
                .map(|(rid, rcode)| {
                    let locked = rcode == "SUPER_ADMIN" && LOCKED_IN.contains(&code.as_str());
                    (format!("{rcode}:{code}"), grants.contains(&(*rid, *pid)), locked)
                })
                .collect();
            (code.clone(), desc.clone(), cells)
        })
        .collect();
    let roles = all_roles
        .iter()
        .map(|(_, code)| (code.clone(), ctx.t(&format!("role-{}", code.to_ascii_lowercase().replace('_', "-")))))
        .collect();
    Ok(RolesPage { ctx, roles, grid, saved: s.yes() }.into_response())
}

/// Replaces the grid with the checked cells (`grant=ROLE:perm.code`).
pub async fn save(State(state): State<AppState>, ctx: Ctx, RawForm(body): RawForm) -> AppResult<Response> {
    let staff = rbac::staff(&ctx, rbac::PERMISSIONS_EDIT).await?;
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&body).map_err(|_| AppError::BadRequest("error-bad-request"))?;
    let mut wanted: Vec<(String, String)> = pairs
        .into_iter()
        .filter(|(k, _)| k == "grant")
        .filter_map(|(_, v)| v.split_once(':').map(|(r, p)| (r.to_owned(), p.to_owned())))
        .collect();
    for p in LOCKED_IN {
        wanted.push(("SUPER_ADMIN".into(), p.into()));
    }
    wanted.sort();
    wanted.dedup();
    let tenant = staff.tenant;
    let actor = ctx.actor();
    state
        .tx(tenant, async |c| {
            let r: Vec<(Uuid, String)> = roles::table.select((roles::id, roles::code)).load(c).await?;
            let p: Vec<(Uuid, String)> =
                permissions::table.select((permissions::id, permissions::code)).load(c).await?;
            let mut ids = Vec::new();
            for (rc, pc) in &wanted {
                let rid = r.iter().find(|(_, code)| code == rc).map(|(id, _)| *id);
                let pid = p.iter().find(|(_, code)| code == pc).map(|(id, _)| *id);
                match (rid, pid) {
                    (Some(rid), Some(pid)) => ids.push((rid, pid)),
                    _ => return Err(AppError::BadRequest("error-bad-request")),
                }
            }
            set_actor(c, &actor).await?;
            let current: Vec<(Uuid, Uuid)> = role_permissions::table
                .select((role_permissions::role_id, role_permissions::permission_id))
                .load(c)
                .await?;
            for (rid, pid) in current.iter().filter(|g| !ids.contains(g)) {
                diesel::delete(
                    role_permissions::table
                        .filter(role_permissions::role_id.eq(rid))
                        .filter(role_permissions::permission_id.eq(pid)),
                )
                .execute(c)
                .await?;
            }
            let new: Vec<_> = ids
                .iter()
                .filter(|g| !current.contains(g))
                .map(|(rid, pid)| (role_permissions::role_id.eq(*rid), role_permissions::permission_id.eq(*pid)))
                .collect();
            diesel::insert_into(role_permissions::table).values(&new).execute(c).await?;
            Ok::<_, AppError>(())
        })
        .await?;
    state.users.clear();
    Ok(super::saved_redirect(&ctx, "/admin/roles"))
}
