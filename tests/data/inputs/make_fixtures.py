#!/usr/bin/env python3
"""Regenerates the fixtures in this folder (python3, standard library only).

The shapes follow upstream, not memory:
- session JSON: supabase-js `Session` / `User` (packages/core/auth-js/src/lib/types.ts) as GoTrue's
  /token returns it and auth-js stores it in localStorage under `sb-<ref>-auth-token`;
- SSR cookies: @supabase/ssr `src/cookies.ts` (value `base64-` + base64url(JSON), no padding) and
  `src/utils/chunker.ts` (chunks of at most 3180 characters of encodeURIComponent(value), named
  `<key>.0`, `<key>.1`, …);
- refresh tokens: GoTrue `models/refresh_token.go` (crypto.SecureAlphanumeric(12));
- "Copy as cURL": Chromium DevTools' escapeStringPosix / escapeStringWin and the ` \\\n  ` /
  ` ^\n  ` joins; "Copy as fetch": generateFetchCall (JSON.stringify(options, null, 2));
- opaque keys: upstream utils/add-new-auth-keys.sh generateOpaqueKey (self-hosted checksum).
Tokens are HS256 with the test secret below; the clock is 2026-01-01T00:00:00Z (1767225600).
"""
import base64, hashlib, hmac, json, re, urllib.parse, os

HERE = os.path.dirname(os.path.abspath(__file__))
NOW = 1767225600
SECRET = b"fixture-secret-that-is-long-enough-for-hs256-0123"
REF = "abcdefghijklmnopqrst"
HOST = f"https://{REF}.supabase.co"
USER_ID = "8d2f3c1a-5b6e-4f70-9a81-2c3d4e5f6a7b"
SESSION_ID = "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0"

def b64u(b): return base64.urlsafe_b64encode(b).rstrip(b"=").decode()

def jwt(claims):
    h = b64u(json.dumps({"alg": "HS256", "typ": "JWT"}, separators=(",", ":")).encode())
    p = b64u(json.dumps(claims, separators=(",", ":")).encode())
    s = b64u(hmac.new(SECRET, f"{h}.{p}".encode(), hashlib.sha256).digest())
    return f"{h}.{p}.{s}"

ANON = jwt({"iss": "supabase", "ref": REF, "role": "anon", "iat": 1735689600, "exp": 2051222400})
SERVICE = jwt({"iss": "supabase", "ref": REF, "role": "service_role", "iat": 1735689600, "exp": 2051222400})
OTHER_ANON = jwt({"iss": "supabase", "ref": "zyxwvutsrqponmlkjihg", "role": "anon", "iat": 1735689600, "exp": 2051222400})

def user_token(iat, exp):
    return jwt({
        "iss": f"{HOST}/auth/v1", "sub": USER_ID, "aud": "authenticated", "exp": exp, "iat": iat,
        "email": "alice@example.com", "phone": "", "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {"email": "alice@example.com", "email_verified": True, "phone_verified": False, "sub": USER_ID},
        "role": "authenticated", "aal": "aal1", "amr": [{"method": "password", "timestamp": iat}],
        "session_id": SESSION_ID, "is_anonymous": False})

ACCESS = user_token(NOW - 600, NOW + 3000)
EXPIRED = user_token(NOW - 10800, NOW - 7200)
REFRESH = "q7Xk2mP9vL4w"
REFRESH2 = "Zr8Tn3Bc6Hy1"

def opaque(prefix, random):
    digest = hashlib.sha256(f"supabase-self-hosted|{prefix}{random}".encode()).digest()
    return f"{prefix}{random}_{b64u(digest)[:8]}"

PUBLISHABLE = opaque("sb_publishable_", "Xq3vR8mT2kLp9WzY4nB7cD")
SECRET_KEY = opaque("sb_secret_", "Hj5fG2sK8dQ1wE6rT9yU3i")

def user(big):
    identity_data = {"email": "alice@example.com", "email_verified": True, "phone_verified": False, "sub": USER_ID}
    u = {
        "id": USER_ID, "aud": "authenticated", "role": "authenticated", "email": "alice@example.com",
        "email_confirmed_at": "2025-11-02T09:14:31.118823Z", "phone": "", "confirmed_at": "2025-11-02T09:14:31.118823Z",
        "last_sign_in_at": "2025-12-31T23:50:00.402871Z",
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": identity_data,
        "identities": [{"identity_id": "5c6d7e8f-9a0b-4c1d-8e2f-3a4b5c6d7e8f", "id": USER_ID, "user_id": USER_ID,
                        "identity_data": identity_data, "provider": "email",
                        "last_sign_in_at": "2025-11-02T09:14:31.110917Z", "created_at": "2025-11-02T09:14:31.110968Z",
                        "updated_at": "2025-11-02T09:14:31.110968Z", "email": "alice@example.com"}],
        "created_at": "2025-11-02T09:14:31.098214Z", "updated_at": "2025-12-31T23:50:00.405120Z", "is_anonymous": False,
    }
    if big:  # an OAuth sign-in carries a larger user_metadata (avatar, full name, provider ids)
        meta = dict(identity_data, avatar_url="https://avatars.githubusercontent.com/u/1234567?v=4",
                    full_name="Alice Example", iss="https://api.github.com", name="Alice Example",
                    preferred_username="alice-example", provider_id="1234567", user_name="alice-example")
        u["user_metadata"] = meta
        u["app_metadata"] = {"provider": "github", "providers": ["email", "github"]}
        u["identities"].append({"identity_id": "6d7e8f9a-0b1c-4d2e-9f3a-4b5c6d7e8f9a", "id": "1234567", "user_id": USER_ID,
                                "identity_data": meta, "provider": "github", "last_sign_in_at": "2025-12-31T23:50:00.397402Z",
                                "created_at": "2025-11-20T18:02:11.552190Z", "updated_at": "2025-12-31T23:50:00.397402Z",
                                "email": "alice@example.com"})
    return u

def session(access, refresh, expires_at, big=False):
    return {"access_token": access, "token_type": "bearer", "expires_in": 3600, "expires_at": expires_at,
            "refresh_token": refresh, "user": user(big)}

def write(name, text):
    with open(os.path.join(HERE, name), "w", newline="") as f:
        f.write(text)

def js_uri_encode(s):  # encodeURIComponent
    return urllib.parse.quote(s, safe="-_.!~*'()")

def create_chunks(key, value, size=3180):  # @supabase/ssr createChunks (ASCII values)
    enc = js_uri_encode(value)
    if len(enc) <= size:
        return [(key, value)]
    chunks = []
    while enc:
        head = enc[:size]
        last = head.rfind("%")
        if last > size - 3:
            head = head[:last]
        chunks.append(urllib.parse.unquote(head))
        enc = enc[len(head):]
    return [(f"{key}.{i}", v) for i, v in enumerate(chunks)]

COOKIE = f"sb-{REF}-auth-token"
big = json.dumps(session(ACCESS, REFRESH, NOW + 3000, big=True), separators=(",", ":"))
ssr_value = "base64-" + b64u(big.encode())
chunks = create_chunks(COOKIE, ssr_value)
assert len(chunks) == 2, len(chunks)

# 1. supabase-js localStorage session and GoTrue /token response
write("session_localstorage.json", json.dumps(session(ACCESS, REFRESH, NOW + 3000), indent=2) + "\n")
write("session_expired.json", json.dumps(session(EXPIRED, REFRESH, NOW - 7200), separators=(",", ":")) + "\n")
write("gotrue_token_response.json", json.dumps(dict(session(ACCESS, REFRESH, NOW + 3000), weak_password=None), separators=(",", ":")) + "\n")
# 2. @supabase/ssr cookies: document.cookie string, Cookie: header, DevTools table, older formats
write("ssr_cookie_chunked.txt", "; ".join(f"{n}={v}" for n, v in chunks) + "\n")
write("cookie_header.txt", "Cookie: _ga=GA1.1.1469302741.1767220000; " + "; ".join(f"{n}={v}" for n, v in chunks) + "; theme=dark\n")
write("ssr_cookie_missing_chunk.txt", f"{chunks[1][0]}={chunks[1][1]}\n")
rows = [("_ga", "GA1.1.1469302741.1767220000", "localhost", "/", "2027-02-05T10:00:00.000Z", "30", "", "", "", "Medium")]
rows += [(n, v, "localhost", "/", "2027-01-01T00:00:00.000Z", str(len(n) + len(v)), "", "", "Lax", "Medium") for n, v in chunks]
write("devtools_cookie_table.txt", "\n".join("\t".join(r) for r in rows) + "\n")
small = json.dumps(session(ACCESS, REFRESH, NOW + 3000), separators=(",", ":"))
write("ssr_cookie_raw_json.txt", f"{COOKIE}={js_uri_encode(small)}\n")
write("auth_helpers_array_cookie.txt", f"{COOKIE}={js_uri_encode(json.dumps([ACCESS, REFRESH, None, None, None]))}\n")
# 3. redirect URLs
frag = urllib.parse.urlencode({"access_token": ACCESS, "expires_at": NOW + 3000, "expires_in": 3600,
                               "refresh_token": REFRESH, "token_type": "bearer", "type": "recovery"})
write("redirect_implicit.txt", f"http://localhost:3000/update-password#{frag}\n")
write("redirect_pkce.txt", "http://localhost:3000/auth/callback?code=3b9f0c2e-7d41-4a8e-b5f6-1c2d3e4f5a6b\n")
write("redirect_error.txt", "http://localhost:3000/#error=access_denied&error_code=otp_expired&error_description=Email+link+is+invalid+or+has+expired\n")

# 4. Copy as cURL / fetch (Chromium DevTools rules)
def esc_posix(s):
    if re.search(r"[\x00-\x1f\x7f-\x9f!]|'", s):
        body = s.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n").replace("\r", "\\r")
        body = re.sub(r"[\x00-\x1f\x7f-\x9f!]", lambda m: "\\u%04x" % ord(m.group(0)), body)
        return "$'" + body + "'"
    return "'" + s + "'"

def esc_win(s):
    body = s.replace("\\", "\\\\").replace('"', '\\"')
    body = re.sub(r"[^a-zA-Z0-9\s_\-:=+~'/.',?;()*`]", lambda m: "^" + m.group(0), body)
    body = re.sub(r"%(?=[a-zA-Z0-9_])", "%^", body)
    body = re.sub(r"\r?\n", "^\n\n", body)
    return '^"' + body + '^"'

UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"
def browser_headers(apikey, bearer):
    return [("accept", "*/*"), ("accept-profile", "public"), ("apikey", apikey), ("authorization", f"Bearer {bearer}"),
            ("origin", "http://localhost:3000"), ("referer", "http://localhost:3000/"), ("sec-fetch-dest", "empty"),
            ("sec-fetch-mode", "cors"), ("sec-fetch-site", "cross-site"), ("user-agent", UA),
            ("x-client-info", "supabase-js-web/2.49.4")]

def curl(url, headers, esc, join, data=None, method=None):
    cmd = [esc(url)]
    if method:
        cmd.append("-X " + esc(method))
    cmd += ["-H " + esc(f"{n}: {v}") for n, v in headers]
    if data is not None:
        cmd.append("--data-raw " + esc(data))
    return "curl " + join.join(cmd) + "\n"

URL = f"{HOST}/rest/v1/todos?select=*&order=inserted_at.desc"
write("curl_bash.txt", curl(URL, browser_headers(ANON, ACCESS), esc_posix, " \\\n  "))
write("curl_cmd.txt", curl(URL, browser_headers(ANON, ACCESS), esc_win, " ^\n  "))
write("curl_bash_post.txt", curl(f"{HOST}/rest/v1/todos", browser_headers(ANON, ACCESS) + [("content-type", "application/json"), ("prefer", "return=minimal")],
                                 esc_posix, " \\\n  ", data=json.dumps({"task": "it's done!", "user_id": USER_ID})))
write("curl_secret_in_browser.txt", curl(URL, browser_headers(SECRET_KEY, SECRET_KEY), esc_posix, " \\\n  "))
write("curl_refresh.txt", curl(f"{HOST}/auth/v1/token?grant_type=refresh_token", [("apikey", PUBLISHABLE), ("content-type", "application/json;charset=UTF-8")],
                               esc_posix, " \\\n  ", data=json.dumps({"refresh_token": REFRESH}, separators=(",", ":"))))
fetch_headers = {n: v for n, v in browser_headers(ANON, ACCESS) if n not in ("origin", "referer", "user-agent")}
write("fetch.txt", "fetch(" + json.dumps(URL) + ", " + json.dumps({"headers": fetch_headers, "referrer": "http://localhost:3000/",
      "body": None, "method": "GET", "mode": "cors", "credentials": "include"}, indent=2) + ");\n")
write("http_request.txt", "\r\n".join([
    "POST /auth/v1/token?grant_type=password HTTP/1.1", f"Host: {REF}.supabase.co", f"apikey: {PUBLISHABLE}",
    f"Authorization: Bearer {PUBLISHABLE}", "Content-Type: application/json;charset=UTF-8", "Content-Length: 57",
    "", json.dumps({"email": "alice@example.com", "password": "correct horse battery"}, separators=(",", ":"))]) + "\n")
write("wget.txt", f"wget --header='apikey: {ANON}' --header=\"Authorization: Bearer {ANON}\" -O - '{HOST}/auth/v1/user'\n")
write("opaque_keys.env", f"SUPABASE_PUBLISHABLE_KEY={PUBLISHABLE}\nSUPABASE_SECRET_KEY={SECRET_KEY}\n")

# 5. A small HAR with a 401 and a 403 (HAR 1.2 as Chromium exports it, trimmed)
def entry(method, url, status, req_headers, resp_text, post=None, mime="application/json"):
    e = {"request": {"method": method, "url": url, "httpVersion": "http/2.0",
                     "headers": [{"name": n, "value": v} for n, v in req_headers],
                     "queryString": [{"name": k, "value": v} for k, v in urllib.parse.parse_qsl(urllib.parse.urlsplit(url).query)],
                     "cookies": [], "headersSize": -1, "bodySize": 0},
         "response": {"status": status, "statusText": "", "httpVersion": "http/2.0",
                      "headers": [{"name": "content-type", "value": mime}], "cookies": [],
                      "content": {"size": len(resp_text), "mimeType": mime, "text": resp_text},
                      "redirectURL": "", "headersSize": -1, "bodySize": -1},
         "cache": {}, "timings": {"blocked": 1, "dns": -1, "ssl": -1, "connect": -1, "send": 0, "wait": 80, "receive": 1},
         "time": 82, "startedDateTime": "2026-01-01T00:00:00.000Z", "_resourceType": "fetch"}
    if post is not None:
        e["request"]["postData"] = {"mimeType": "application/json;charset=UTF-8", "text": post}
    return e

har = {"log": {"version": "1.2", "creator": {"name": "WebInspector", "version": "537.36"},
               "pages": [{"startedDateTime": "2026-01-01T00:00:00.000Z", "id": "page_1", "title": "http://localhost:3000/", "pageTimings": {}}],
               "entries": [
    entry("GET", "https://fonts.googleapis.com/css2?family=Inter", 200, [("user-agent", UA)], "/* css */", mime="text/css"),
    entry("POST", f"{HOST}/auth/v1/token?grant_type=password", 200, browser_headers(ANON, ANON) + [("content-type", "application/json;charset=UTF-8")],
          json.dumps(session(ACCESS, REFRESH2, NOW + 3000)), post=json.dumps({"email": "alice@example.com", "password": "correct horse battery", "gotrue_meta_security": {}})),
    entry("GET", f"{HOST}/rest/v1/todos?select=*", 401, browser_headers(ANON, EXPIRED) + [("cookie", "; ".join(f"{n}={v}" for n, v in create_chunks(COOKIE, "base64-" + b64u(json.dumps(session(EXPIRED, REFRESH, NOW - 7200, big=True)).encode()))))],
          json.dumps({"code": "PGRST303", "details": None, "hint": None, "message": "JWT expired"})),
    entry("GET", f"{HOST}/auth/v1/user", 403, browser_headers(ANON, ANON),
          json.dumps({"code": 403, "error_code": "bad_jwt", "msg": "invalid claim: missing sub claim"})),
]}}
write("small_401.har", json.dumps(har, indent=2) + "\n")

# The values the tests look for (not secrets: fixtures).
write("expected.json", json.dumps({"anon": ANON, "service": SERVICE, "other_anon": OTHER_ANON, "access": ACCESS, "expired": EXPIRED,
      "refresh": REFRESH, "refresh2": REFRESH2, "publishable": PUBLISHABLE, "secret_key": SECRET_KEY, "ref": REF,
      "secret": SECRET.decode(), "now": NOW, "chunk_names": [n for n, _ in chunks]}, indent=2) + "\n")
