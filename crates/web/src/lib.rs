//! relais-web
