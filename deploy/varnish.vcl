# Varnish in front of the encyclopedia's gunicorn nodes.
#
# Needs Debian's varnish and varnish-modules (vmod xkey). Run, for example:
#   varnishd -a :6081 -f /path/to/deploy/varnish.vcl -s malloc,1g
# and give every app server DJANGO_PURGE_URLS=http://<this host>:6081.
#
# The contract with the app (encyclopedia/pagecache.py, encyclopedia/purge.py):
# - A page anonymous readers may share says so: Cache-Control with s-maxage
#   (or public), and the keys of what it shows in an `xkey` header.
# - After each write the app sends `PURGE /` with `xkey-softpurge: k1 k2 ...`;
#   every stored page carrying one of those keys is fetched afresh by the
#   next reader.
# Anything else (no Cache-Control, a cookie set, a signed-in editor, the admin)
# goes to the app every time: Varnish only ever holds what the app chose to share.

vcl 4.1;

import std;
import xkey;

backend default {
    .host = "127.0.0.1";
    .port = "8000";
    # With several gunicorn nodes, declare one backend each and spread the
    # requests with vmod directors (round_robin) in vcl_init.
    #
    # A health probe lets Varnish serve stale pages at once while a node is
    # down instead of trying it first (see X-Grace-Retry below). It must get a
    # 200 from Django, so it needs a host in DJANGO_ALLOWED_HOSTS and, behind
    # TLS, the https marker; a wrong probe marks a healthy node sick and the
    # site answers 503, hence it is left for the operator to fill in:
    # .probe = {
    #     .request = "HEAD /robots.txt HTTP/1.1"
    #                "Host: encyclopedia.example.org"
    #                "X-Forwarded-Proto: https"
    #                "Connection: close";
    #     .interval = 5s; .timeout = 2s; .window = 5; .threshold = 3;
    # }
}

# Who may purge: the app servers (they purge after each write). Add each
# gunicorn node's address here; a purge from anyone else is refused, or
# anybody could empty the cache and send every reader to the app servers.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # Ours to set: never trust what a client sends under these names.
    unset req.http.X-Cache;
    if (req.restarts == 0) {
        unset req.http.X-Grace-Retry;
    }

    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.xkey-softpurge && !req.http.xkey-purge) {
            return (synth(400, "PURGE needs an xkey-softpurge or xkey-purge header"));
        }
        set req.http.n-gone = "0";
        if (req.http.xkey-purge) {
            # A hard purge drops the objects: for content that must not be
            # served again even while the app is down (a page taken down).
            set req.http.n-gone = xkey.purge(req.http.xkey-purge);
        }
        if (req.http.xkey-softpurge) {
            # What the app sends after an edit: the objects stay, marked
            # stale, so they remain available when the app is down (grace).
            set req.http.n-gone = std.integer(req.http.n-gone, 0)
                + xkey.softpurge(req.http.xkey-softpurge);
        }
        return (synth(200, "Purged " + req.http.n-gone));
    }

    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # Editors' pages: never stored, with their cookies (CSRF, session) intact;
    # the admin in each interface language too (/ru/admin/, /fa-af/admin/).
    if (req.url ~ "^(/[a-z]{2,3}(-[a-z]{2,4})?)?/admin(/|$|\?)") {
        return (pass);
    }
    # A signed-in editor (Django's session cookie; change the name here if
    # SESSION_COOKIE_NAME changes) gets drafts and Edit links: not shareable.
    if (req.http.Cookie ~ "(^|;)\s*sessionid=") {
        return (pass);
    }
    if (req.http.Authorization) {
        return (pass);
    }
    # Anything else an anonymous reader sends (csrftoken, analytics cookies)
    # changes nothing on a public page, yet Django varies on Cookie: dropped,
    # so that every reader shares one copy.
    unset req.http.Cookie;

    # A soft purge leaves the object stale, and by default Varnish would
    # serve a stale object within its grace and refresh it in the
    # background: the first reader after an edit would see the old text. So
    # while the app answers, nothing stale is served (req.grace = 0s makes
    # the lookup a miss and the reader waits for the fresh page). Without a
    # probe std.healthy() is always true; the outage case is X-Grace-Retry
    # (vcl_synth), where a stale copy is better than an error page: req.grace
    # survives a restart, so it is raised again (the object's own grace,
    # beresp.grace, still caps it).
    if (req.http.X-Grace-Retry || !std.healthy(req.backend_hint)) {
        set req.grace = 24h;
    } else {
        set req.grace = 0s;
    }
    return (hash);
}

sub vcl_hit {
    # obj.ttl <= 0s: a stale object, served only in an outage (see vcl_synth).
    if (obj.ttl <= 0s) {
        set req.http.X-Cache = "STALE";
    } else {
        set req.http.X-Cache = "HIT";
    }
}

sub vcl_miss {
    set req.http.X-Cache = "MISS";
}

sub vcl_pass {
    set req.http.X-Cache = "PASS";
}

sub vcl_backend_response {
    # The app's gateway failing (a proxy in between answering 502-504): as
    # for a refused connection, below.
    if (beresp.status >= 502 && beresp.status <= 504) {
        return (abandon);
    }
    # The app decides what is shared: a response without s-maxage or public
    # (a 404 for an article not yet written, search results, feeds) is not
    # stored, or readers would get it after the edit that changed it, with
    # no key to purge it by. Remembered as uncacheable (hit-for-miss) for a
    # while, so such requests go straight to the app without queueing.
    if (beresp.http.Cache-Control !~ "(?i)(s-maxage|public)"
            || beresp.http.Set-Cookie
            || beresp.http.Vary == "*"
            || beresp.ttl <= 0s) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        return (deliver);
    }
    # How long a stored page may still be served once stale, and only when
    # the app cannot answer (X-Grace-Retry): an outage of up to six hours
    # shows readers the last good pages instead of errors.
    set beresp.grace = 6h;
    return (deliver);
}

sub vcl_backend_error {
    # The app did not answer (down, refusing, timing out). Abandoning keeps
    # the stale copy in the cache (delivering the error object would replace
    # it) and sends the reader to vcl_synth with a 503, which looks again.
    return (abandon);
}

sub vcl_deliver {
    # For tests and operators: HIT, MISS, PASS or STALE.
    set resp.http.X-Cache = req.http.X-Cache;

    # The keys and the s-maxage are for this cache only: Varnish is the last
    # cache that the app purges, so a shared cache beyond it (a corporate
    # proxy) must not keep pages for s-maxage with no purge to reach it.
    # Browsers see Cache-Control: public, max-age=0. A purger asking with
    # X-Cache-Debug sees the app's headers as sent.
    if (!(req.http.X-Cache-Debug && client.ip ~ purgers)) {
        unset resp.http.xkey;
        unset resp.http.Surrogate-Key;
        if (resp.http.Cache-Control ~ "s-maxage") {
            set resp.http.Cache-Control = regsub(
                resp.http.Cache-Control, "\s*,?\s*s-maxage=\d+", "");
            set resp.http.Cache-Control = regsub(resp.http.Cache-Control, "^\s*,\s*", "");
        }
    }
}

sub vcl_synth {
    # A miss the app could not answer (vcl_backend_error): look again, this
    # time accepting a stale copy (vcl_recv leaves req.grace alone). A page
    # never stored still gets the 503. A 500 is the app's own error: it is
    # delivered as it is, never retried.
    if (resp.status == 503 && req.http.X-Cache == "MISS" && !req.http.X-Grace-Retry) {
        set req.http.X-Grace-Retry = "1";
        return (restart);
    }
    if (req.method == "PURGE") {
        # A short plain answer: the purger logs it (encyclopedia.purge).
        set resp.http.Content-Type = "text/plain; charset=utf-8";
        set resp.body = resp.reason + {"
"};
        return (deliver);
    }
    set resp.http.X-Cache = req.http.X-Cache;
}
