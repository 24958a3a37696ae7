//! Who is signed in: the session's user id, their roles and permissions in
//! one query, kept for a few seconds. The web context reads it on every
//! request, so this file sits below the account pages and imports none of them.

use diesel::OptionalExtension as _;
use diesel_async::{AsyncPgConnection, RunQueryDsl as _};
use tower_sessions::Session;
use uuid::Uuid;

use crate::app::AppState;
use crate::error::AppResult;

/// Session key holding the signed-in user's id.
pub const SESSION_USER: &str = "uid";

#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub id: Uuid,
    pub email: String,
    pub full_name: String,
    pub roles: Vec<String>,
    /// Permission codes of all the user's roles (`products.moderate`, ...).
    pub permissions: Vec<String>,
    pub totp_enabled: bool,
}

impl CurrentUser {
    pub fn can(&self, permission: &str) -> bool {
        self.permissions.iter().any(|p| p == permission)
    }

    pub fn has_role(&self, role: &str) -> bool {
        self.roles.iter().any(|r| r == role)
    }

    pub fn display_name(&self) -> &str {
        if self.full_name.trim().is_empty() { &self.email } else { &self.full_name }
    }
}

/// How long a signed-in user's name and roles are reused without asking the
/// database: a deactivated user or a changed role takes effect within this.
pub const USER_CACHE: std::time::Duration = std::time::Duration::from_secs(5);

/// The signed-in user, read under the request's tenant: a session made on one
/// tenant's site is anonymous on another's, and a deactivated user is signed out.
pub async fn current_user(state: &AppState, session: &Session, tenant: Uuid) -> AppResult<Option<CurrentUser>> {
    let Some(id) = session.get::<Uuid>(SESSION_USER).await? else {
        return Ok(None);
    };
    if let Some(user) = state.users.get(&(tenant, id)) {
        return Ok(Some((*user).clone()));
    }
    let found = state.tx(tenant, async |c| session_user(c, tenant, id).await).await?;
    Ok(found.map(|u| {
        let user = CurrentUser {
            id,
            email: u.email,
            full_name: u.full_name,
            roles: u.roles,
            permissions: u.permissions,
            totp_enabled: u.totp_enabled,
        };
        state.users.insert((tenant, id), user.clone());
        user
    }))
}

/// The signed-in user's name and roles in one query (it runs on every request).
#[derive(diesel::QueryableByName)]
struct SessionUser {
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub email: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    pub full_name: String,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    pub roles: Vec<String>,
    #[diesel(sql_type = diesel::sql_types::Array<diesel::sql_types::Text>)]
    pub permissions: Vec<String>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    pub totp_enabled: bool,
}

async fn session_user(
    conn: &mut AsyncPgConnection,
    tenant: Uuid,
    id: Uuid,
) -> diesel::QueryResult<Option<SessionUser>> {
    diesel::sql_query(
        "SELECT u.email, u.full_name, u.totp_enabled_at IS NOT NULL AS totp_enabled,
                coalesce(array_agg(DISTINCT r.code) FILTER (WHERE r.code IS NOT NULL), '{}') AS roles,
                coalesce(array_agg(DISTINCT p.code) FILTER (WHERE p.code IS NOT NULL), '{}') AS permissions
         FROM users u
         LEFT JOIN user_role_assignments a ON a.tenant_id = u.tenant_id AND a.user_id = u.id
         LEFT JOIN roles r ON r.id = a.role_id
         LEFT JOIN role_permissions rp ON rp.role_id = r.id
         LEFT JOIN permissions p ON p.id = rp.permission_id
         WHERE u.tenant_id = $1 AND u.id = $2 AND u.is_active
         GROUP BY u.id",
    )
    .bind::<diesel::sql_types::Uuid, _>(tenant)
    .bind::<diesel::sql_types::Uuid, _>(id)
    .get_result(conn)
    .await
    .optional()
}
