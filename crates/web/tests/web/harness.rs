//! Starts Relais on a free port with a clock the test moves by hand.

use relais_domain::access::account::DisplayName;
use relais_domain::access::organisation::OrganisationType;
use relais_domain::access::role::Role;
use relais_domain::access::session::SessionPolicy;
use relais_domain::access::throttle::ThrottlePolicy;
use relais_domain::email::Email;
use relais_domain::ids::OrganisationId;
use relais_domain::territory::{Departement, Territory};
use relais_domain::time::Timestamp;
use relais_store::access::organisations::NewOrganisation;
use relais_store::access::users::NewUser;
use relais_store::testing::TestDatabase;
use relais_store::{Actor, Keys, SecretKey, Store, StoreOptions, access::passwords, access::totp, bootstrap};
use relais_web::{AppState, Clock, MetricsToken, TrustedProxies, WebSettings};
use std::sync::OnceLock;

pub const PASSWORD: &str = "correct horse battery staple";
pub const START: Timestamp = Timestamp(1_800_000_000);
pub const METRICS_TOKEN: &str = "test-metrics-token";

#[derive(Clone)]
pub struct TestUser {
    pub email: &'static str,
    pub secret: Vec<u8>,
}

/// The settings of a test server reached at `public_url`.
pub fn settings(public_url: &str) -> WebSettings {
    WebSettings {
        public_url: public_url.to_owned(),
        secure_cookies: false,
        session: SessionPolicy::default(),
        throttle: ThrottlePolicy::default(),
        placement_min_distance_km: relais_domain::casework::placement::DEFAULT_MIN_DISTANCE_KM,
        // Tests change cases and read the dashboards at once: figures computed on every view
        // (a test of kept figures sets a freshness).
        statistics: relais_web::StatisticsSettings {
            fresh_minutes: 0,
            ..Default::default()
        },
        metrics_token: MetricsToken::new(METRICS_TOKEN.to_owned()),
        trusted_proxies: TrustedProxies::default(),
        retention: Default::default(),
        publisher: Default::default(),
        oidc_providers: Vec::new(),
    }
}

#[derive(Clone)]
pub struct TestApp {
    pub base: String,
    pub store: Store,
    pub keys: Keys,
    pub clock: Clock,
    pub admin: TestUser,
    pub responder: TestUser,
    pub analyst: TestUser,
    pub organisation: OrganisationId,
    _db_keepalive: String,
}

fn password_hash() -> &'static str {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| passwords::hash(PASSWORD).unwrap())
}

async fn add_user(store: &Store, org: &OrganisationId, email: &'static str, role: Role) -> TestUser {
    let secret = totp::new_secret();
    let mut tx = store.begin(Actor::system(), "test-setup", START).await.unwrap();
    let new = NewUser {
        organisation_id: org.clone(),
        email: Email::parse(email).unwrap(),
        display_name: DisplayName::parse(email).unwrap(),
        roles: vec![role],
    };
    bootstrap::create_demo_user(&mut tx, &new, password_hash(), &secret)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    TestUser { email, secret }
}

impl TestApp {
    pub async fn start(db: &TestDatabase) -> Self {
        Self::start_with(db, &StoreOptions::default()).await
    }

    /// A server whose store has these options (a short busy timeout, say).
    pub async fn start_with(db: &TestDatabase, options: &StoreOptions) -> Self {
        let keys = Keys::derive(&SecretKey::generate());
        let store = Store::connect(&db.url, keys.clone(), options).await.unwrap();
        store.migrate().await.unwrap();
        relais_store::intake::catalogues::load_shipped(&store, START)
            .await
            .unwrap();
        let mut tx = store.begin(Actor::system(), "test-setup", START).await.unwrap();
        let organisation = bootstrap::create_organisation(
            &mut tx,
            &NewOrganisation {
                name: "Brigade test".into(),
                org_type: OrganisationType::Gendarmerie,
                territory: Territory::Departement(Departement::parse("31").unwrap()),
            },
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        let admin = add_user(&store, &organisation, "admin@relais.test", Role::Administrator).await;
        let responder = add_user(&store, &organisation, "responder@relais.test", Role::FirstResponder).await;
        let analyst = add_user(&store, &organisation, "analyst@relais.test", Role::Analyst).await;

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let clock = Clock::manual(START);
        let settings = settings(&format!("http://{address}"));
        let state = AppState::new(store.clone(), keys.clone(), settings, clock.clone()).unwrap();
        tokio::spawn(async move {
            let _ = relais_web::serve(listener, state).await;
        });
        Self {
            base: format!("http://{address}"),
            store,
            keys,
            clock,
            admin,
            responder,
            analyst,
            organisation,
            _db_keepalive: db.url.clone(),
        }
    }

    /// Another app process on the same database, key and clock, with
    /// settings changed by `change` (as behind a load balancer).
    pub async fn another_process(&self, change: impl FnOnce(&mut WebSettings)) -> TestApp {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        self.process_on(listener, change).await
    }

    /// Another app process serving on `listener`, bound beforehand so that its address can be
    /// given to a peer first (an identity provider's registered redirect URI).
    pub async fn process_on(
        &self,
        listener: tokio::net::TcpListener,
        change: impl FnOnce(&mut WebSettings),
    ) -> TestApp {
        let address = listener.local_addr().unwrap();
        let mut settings = settings(&format!("http://{address}"));
        change(&mut settings);
        let state = AppState::new(self.store.clone(), self.keys.clone(), settings, self.clock.clone()).unwrap();
        tokio::spawn(async move {
            let _ = relais_web::serve(listener, state).await;
        });
        TestApp {
            base: format!("http://{address}"),
            ..self.clone()
        }
    }

    /// A browser-like client: keeps cookies, does not follow redirects.
    pub fn client(&self) -> reqwest::Client {
        reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, client: &reqwest::Client, path: &str) -> (u16, String) {
        let response = client.get(self.url(path)).send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.text().await.unwrap())
    }

    /// GETs `form_page`, then POSTs `fields` to `action` with the page's CSRF token.
    pub async fn submit(
        &self,
        client: &reqwest::Client,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        let (_, html) = self.get(client, form_page).await;
        let csrf = csrf_of(&html);
        let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        client.post(self.url(action)).form(&all).send().await.unwrap()
    }

    pub fn code(&self, user: &TestUser) -> String {
        totp::code_at(&user.secret, self.clock.now()).unwrap()
    }

    /// Signs in with password and TOTP; returns the client.
    pub async fn sign_in(&self, user: &TestUser) -> reqwest::Client {
        let client = self.client();
        let response = self
            .submit(
                &client,
                "/login",
                "/login",
                &[("email", user.email), ("password", PASSWORD), ("next", "/dashboard")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "password step");
        let code = self.code(user);
        let response = self
            .submit(
                &client,
                "/login/mfa",
                "/login/mfa",
                &[("code", &code), ("next", "/dashboard")],
            )
            .await;
        assert_eq!(response.status().as_u16(), 303, "MFA step");
        // Each code works once: later sign-ins happen in the next 30-second step.
        self.clock.advance(30);
        client
    }
}

pub fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html
        .find(marker)
        .map(|i| i + marker.len())
        .expect("page has a CSRF field");
    html[start..].split('"').next().unwrap().to_owned()
}

pub fn location(response: &reqwest::Response) -> String {
    response
        .headers()
        .get("location")
        .map(|v| v.to_str().unwrap().to_owned())
        .unwrap_or_default()
}
