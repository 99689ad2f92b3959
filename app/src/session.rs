//! The signed-in caller, as the UI sees it: fetched once per page load and read inside the
//! pages' suspense boundaries to hide what the role may not do. (The server checks every
//! server function anyway; hiding is for people, not for security.)

use domain::auth::{Principal, Role};
use leptos::prelude::*;

use crate::AppError;

#[derive(Clone, Copy)]
pub struct CallerResource(pub Resource<Result<Principal, AppError>>);

/// Called once, by `App`.
pub fn provide_caller() {
    let resource = Resource::new(|| (), |_| crate::api::admin::whoami());
    provide_context(CallerResource(resource));
}

/// The caller, or an error when nobody is signed in.
pub async fn caller() -> Result<Principal, AppError> {
    match use_context::<CallerResource>() {
        Some(CallerResource(resource)) => resource.await,
        None => Err(AppError::Unauthenticated("Sign in first.".into())),
    }
}

/// True when the caller's role includes `needed`.
pub async fn may(needed: Role) -> bool {
    caller().await.is_ok_and(|p| p.role.allows(needed))
}
