//! Limits on what a stranger can repeat, per client address: signing in,
//! registering, second-factor codes, search, adding to the cart and the
//! payment callbacks. Over the limit is a localized 429 with `Retry-After`.
//! Counting is `governor`'s GCRA (a burst, then a steady rate), in memory per
//! app server; every other route is untouched and pays nothing.
//!
//! The limits are generous enough for many shoppers behind one address (a
//! mobile carrier's NAT) and far below what a script sends: 200 registrations
//! a minute from one address were all accepted before.

use std::net::{IpAddr, Ipv4Addr};
use std::num::NonZeroU32;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use axum::extract::Request;
use axum::http::Method;
use axum::response::{IntoResponse as _, Response};
use governor::clock::{Clock as _, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use super::client_ip::ClientIp;
use crate::error::AppError;

/// What a request counts against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    SignIn,
    Register,
    Code,
    Search,
    Cart,
    Callback,
}

impl Class {
    /// (burst, one more every …)
    fn quota(self) -> (u32, Duration) {
        match self {
            Class::SignIn => (60, Duration::from_secs(1)),
            Class::Register => (40, Duration::from_secs(15)),
            Class::Code => (20, Duration::from_secs(3)),
            Class::Search => (120, Duration::from_millis(50)),
            Class::Cart => (60, Duration::from_millis(200)),
            Class::Callback => (30, Duration::from_millis(500)),
        }
    }

    /// The class of a request, from its method and the path after `/{lang}`.
    pub fn of(method: &Method, path: &str) -> Option<Class> {
        let (_, rest) = super::context::split_lang(path)?;
        match (method.as_str(), rest) {
            ("POST", "/login") => Some(Class::SignIn),
            ("POST", "/register") => Some(Class::Register),
            ("POST", "/login/2fa" | "/account/2fa") => Some(Class::Code),
            ("GET", "/search") => Some(Class::Search),
            ("POST", "/cart/add") => Some(Class::Cart),
            (_, "/payments/zarinpal/callback" | "/payments/saman/callback" | "/payments/mellat/callback") => {
                Some(Class::Callback)
            }
            _ => None,
        }
    }
}

const CLASSES: [Class; 6] = [Class::SignIn, Class::Register, Class::Code, Class::Search, Class::Cart, Class::Callback];

/// One limiter per class, keyed by client address.
#[derive(Clone)]
pub struct Limits {
    limiters: Arc<[DefaultKeyedRateLimiter<IpAddr>; 6]>,
    checks: Arc<AtomicU64>,
    enabled: bool,
}

impl Limits {
    pub fn new(enabled: bool) -> Self {
        let limiters = CLASSES.map(|class| {
            let (burst, every) = class.quota();
            let quota = Quota::with_period(every)
                .expect("a period above zero")
                .allow_burst(NonZeroU32::new(burst).expect("a burst above zero"));
            RateLimiter::keyed(quota)
        });
        Self { limiters: Arc::new(limiters), checks: Arc::default(), enabled }
    }

    /// None when `ip` may go on; else how long it must wait.
    pub fn check(&self, class: Class, ip: IpAddr) -> Option<Duration> {
        if !self.enabled {
            return None;
        }
        let limiter = &self.limiters[CLASSES.iter().position(|c| *c == class).unwrap_or(0)];
        // Forget addresses that have been quiet long enough to be back at a
        // full burst, now and then, so the table stays as small as the traffic.
        if self.checks.fetch_add(1, Ordering::Relaxed) % 4096 == 4095 {
            for l in self.limiters.iter() {
                l.retain_recent();
                l.shrink_to_fit();
            }
        }
        limiter.check_key(&ip).err().map(|not_until| not_until.wait_time_from(DefaultClock::default().now()))
    }
}

/// The 429 for `req` when its address is over its class's limit (checked by
/// `web::input::check`, after the client's address is known).
pub fn refuse(limits: &Limits, req: &Request) -> Option<Response> {
    let class = Class::of(req.method(), req.uri().path())?;
    let ip = req.extensions().get::<ClientIp>().map(|c| c.0).unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED));
    let wait = limits.check(class, ip)?;
    tracing::info!(?class, %ip, "rate limited");
    Some(AppError::TooManyRequests(wait.as_secs().max(1)).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_classed_by_method_and_path() {
        assert_eq!(Class::of(&Method::POST, "/fa/login"), Some(Class::SignIn));
        assert_eq!(Class::of(&Method::GET, "/fa/login"), None);
        assert_eq!(Class::of(&Method::GET, "/en/search"), Some(Class::Search));
        assert_eq!(Class::of(&Method::POST, "/ar/payments/saman/callback"), Some(Class::Callback));
        assert_eq!(Class::of(&Method::GET, "/fa/p/x"), None);
    }

    #[test]
    fn a_burst_passes_then_the_address_waits_and_others_do_not() {
        let limits = Limits::new(true);
        let a: IpAddr = "203.0.113.1".parse().unwrap();
        let b: IpAddr = "203.0.113.2".parse().unwrap();
        for _ in 0..40 {
            assert_eq!(limits.check(Class::Register, a), None);
        }
        let wait = limits.check(Class::Register, a).expect("limited");
        assert!(wait > Duration::from_secs(10) && wait <= Duration::from_secs(15), "{wait:?}");
        assert_eq!(limits.check(Class::Register, b), None, "another address is not affected");
        assert_eq!(limits.check(Class::SignIn, a), None, "another class is not affected");
        assert_eq!(Limits::new(false).check(Class::Register, a), None);
    }
}
