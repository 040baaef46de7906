//! WordPress's constants the handlers read (each looked up once per request once
//! defined; see [`Constant`]).

use crate::zend::memo::Constant;

macro_rules! constants {
    ($($id:ident;)*) => {
        $(
            #[doc = concat!("`", stringify!($id), "`")]
            pub static $id: Constant = Constant::new(stringify!($id));
        )*
    };
}

constants! {
    ABSPATH;
    WPINC;
    DOING_AJAX;
    REST_REQUEST;
    DAY_IN_SECONDS;
    LOGGED_IN_COOKIE;
    WP_SETUP_CONFIG;
}
