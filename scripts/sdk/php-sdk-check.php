<?php
// Runs the official PHP SDK 0.7 (perkamo/sdk, unmodified) against a Perkamo engine:
//   PERKAMO_PHP_SDK=/path/to/php-sdk php scripts/sdk/php-sdk-check.php [baseUrl] [serverKey]
// PERKAMO_PHP_SDK is a checkout of the SDK (or vendor/perkamo/sdk); only its src/ is loaded.
// The server key needs every scope (admin:config too): the browser-token part creates a
// browser key and a signing key through the admin API and revokes both at the end.
declare(strict_types=1);
$sdkSrc = rtrim(getenv('PERKAMO_PHP_SDK') ?: 'vendor/perkamo/sdk', '/') . '/src/';
spl_autoload_register(function (string $c) use ($sdkSrc): void {
    if (str_starts_with($c, 'Perkamo\\')) { require $sdkSrc . str_replace('\\', '/', substr($c, 8)) . '.php'; }
});
use Perkamo\{Client, EventInput, RequestSigner};
use Perkamo\Exception\PerkamoApiException;

$base = $argv[1] ?? 'http://localhost:4001';
$key = $argv[2] ?? (getenv('PERKAMO_DEV_SERVER_KEY') ?: 'sk_test_dev123456');
$sdk = new Client($base, $key);
$run = bin2hex(random_bytes(3));
$uid = "account:acme:42-$run";
$fail = 0;
function j(mixed $v): string { return json_encode($v, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE); }
// keys, secrets and tokens are shown by their first characters only
function redact(mixed $v): mixed {
    if ($v instanceof DateTimeInterface) { return $v->format(DATE_RFC3339); }
    if (is_object($v)) { $v = get_object_vars($v); }
    if (!is_array($v)) { return $v; }
    foreach ($v as $k => $x) {
        $secret = in_array($k, ['key', 'token'], true) && is_string($x) && preg_match('/^(sk_|pk_|sig_|eyJ)/', $x) === 1;
        $v[$k] = $secret ? substr($x, 0, 12) . '...' : redact($x);
    }
    return $v;
}
function check(string $name, callable $f, ?callable $expect = null): void {
    global $fail;
    try {
        $r = $f();
        $shown = is_object($r) && method_exists($r, 'toArray') ? $r->toArray() : $r;
        $ok = $expect === null || $expect($r) === true;
        echo ($ok ? 'OK   ' : 'FAIL ') . "$name -> " . substr(j(redact($shown)), 0, 400) . "\n";
    } catch (PerkamoApiException $e) {
        $ok = $expect !== null && $expect($e) === true;
        echo ($ok ? 'OK   ' : 'FAIL ') . "$name -> PerkamoApiException {$e->statusCode()} req={$e->requestId()} retryAfter={$e->retryAfter()} body=" . substr(j($e->body()), 0, 300) . "\n";
    } catch (Throwable $e) {
        $ok = false;
        echo "FAIL $name -> " . get_class($e) . ': ' . $e->getMessage() . "\n";
    }
    if (!$ok) { $fail++; }
}
$is = fn (int $status, ?string $code = null) => fn ($e) => $e instanceof PerkamoApiException
    && $e->statusCode() === $status && ($code === null || ($e->body()['code'] ?? null) === $code)
    && preg_match('/^req_\w{24}$/', (string) $e->requestId()) === 1;

check('identify', fn () => $sdk->identify($uid, ['plan' => 'pro', 'email' => 'a@b.example']), fn ($r) => is_array($r));
check('identify (no traits)', fn () => $sdk->identify($uid), fn ($r) => is_array($r));
$tx = "order-$run";
$purchase = new EventInput($uid, 'purchase.completed', ['amount' => 12900, 'currency' => 'CZK'], $tx);
check('emitEvent purchase.completed', fn () => $sdk->emitEvent($purchase), fn ($r) => $r->applied && !$r->duplicate);
check('emit lesson.finished (generated tx id)', fn () => $sdk->emit($uid, 'lesson.finished'), fn ($r) => $r->applied);
check('retry same tx -> duplicate', fn () => $sdk->emitEvent($purchase), fn ($r) => $r->duplicate && !$r->applied);
check('conflicting retry -> 409', fn () => $sdk->emitEvent($purchase->withContextValue('amount', 99900)), $is(409, 'idempotency_conflict'));
check('batch (mixed)', fn () => $sdk->batch([
    new EventInput($uid, 'lesson.finished', [], "lesson-$run-1"),                                        // new
    $purchase,                                                                                           // duplicate
    new EventInput("account:acme:43-$run", 'purchase.completed', ['amount' => 100, 'currency' => 'EUR'], "eur-$run"), // no rule matches
    new EventInput($uid, 'no.such.event', [], "unknown-$run"),                                            // not in program
    $purchase->withContextValue('amount', 500),                                                          // conflict
]), function ($r) {
    foreach ($r->results as $i => $x) { $a = $x->toArray(); echo "       [$i] tx={$a['transaction_id']} applied=" . j($x->applied) . ' duplicate=' . j($x->duplicate) . " status={$a['status']} delta=" . j($a['delta']) . ' error=' . j($a['error'] ?? null) . "\n"; }
    return count($r->results) === 5 && $r->results[0]->applied && $r->results[1]->duplicate
        && ($r->results[4]->toArray()['error']['code'] ?? null) === 'idempotency_conflict';
});
check('customer(account:acme:42)', fn () => $sdk->customer($uid), fn ($r) => is_array($r) && $r !== []);
check('customer(unknown) -> 404', fn () => $sdk->customer("nobody-$run"), $is(404));
$odd = "shop/eu user+1@x.cz é-$run";
check('identify odd user id', fn () => $sdk->identify($odd, ['x' => 1]), fn ($r) => is_array($r));
check('emit odd user id', fn () => $sdk->emit($odd, 'lesson.finished'), fn ($r) => $r->applied);
check('customer(odd user id, rawurlencoded)', fn () => $sdk->customer($odd), fn ($r) => is_array($r) && $r !== []);
check('program()', fn () => $sdk->program(), fn ($r) => is_array($r['blueprint'] ?? null));
check('eventCatalog()', fn () => $sdk->eventCatalog(), fn ($r) => count($r) > 0);
if (method_exists($sdk, 'redeem')) { check('redeem()', fn () => $sdk->redeem($uid, 'coffee'), fn ($r) => is_array($r)); }
else { echo "SKIP redeem(): not in this SDK version\n"; }
$lv = "account:acme:lv-$run";
check('unlock + level-up parse (user.registered, 5 lessons)', function () use ($sdk, $lv) {
    $a = $sdk->emit($lv, 'user.registered');
    $r = $sdk->batch(array_map(fn ($i) => new EventInput($lv, 'lesson.finished', [], "lv-$i"), range(0, 4)));
    return [$a->unlocked, $r->results[4]->leveledUp, $r->results[4]->unlocked, $r->results[4]->level];
}, fn ($x) => $x[0][0]->key === 'welcome_member' && $x[1] === true && count($x[2]) === 2 && $x[3]->level === 2);
check('unknown key -> 401 with request id', fn () => (new Client($base, 'sk_test_doesnotexist000'))->emit($uid, 'lesson.finished'), $is(401, 'invalid_api_key'));
check('unknown key GET -> 401', fn () => (new Client($base, 'sk_test_doesnotexist000'))->customer($uid), $is(401, 'invalid_api_key'));

// Raw requests signed with the SDK's own RequestSigner (the SDK itself never sends tenant/space)
function http(string $method, string $url, array $headers, string $body = ''): array {
    $h = array_merge(['accept: application/json'], $body === '' ? [] : ['content-type: application/json'], $headers);
    $ctx = stream_context_create(['http' => ['method' => $method, 'ignore_errors' => true, 'content' => $body, 'header' => implode("\r\n", $h)]]);
    $b = file_get_contents($url, false, $ctx);
    preg_match('/\d{3}/', $http_response_header[0], $m);
    $names = [];
    foreach (array_slice($http_response_header, 1) as $line) {
        [$n, $v] = array_pad(explode(':', $line, 2), 2, '');
        $names[strtolower(trim($n))] = trim($v);
    }
    return [(int) $m[0], $b === '' ? null : json_decode($b, true), $names];
}
function raw(string $base, string $key, string $path, string $body, ?string $sig = null, string $method = 'POST'): array {
    $ts = (string) time();
    $sig ??= RequestSigner::sign($key, $ts, $method, $path, $body);
    return http($method, $base . $path, ["x-perkamo-api-key: $key", "x-perkamo-timestamp: $ts", "x-perkamo-signature: $sig"], $body);
}
$ev = fn (array $extra) => json_encode(['user_id' => $uid, 'event' => 'lesson.finished', 'transaction_id' => 'raw-' . bin2hex(random_bytes(4)), 'context' => [], 'occurred_at' => gmdate('c')] + $extra);
check('SDK-signed raw POST -> 200', fn () => raw($base, $key, '/v1/events', $ev([])), fn ($r) => $r[0] === 200);
check('tampered signature -> 401 invalid_signature', fn () => raw($base, $key, '/v1/events', $ev([]), 'v1=' . str_repeat('0', 64)), fn ($r) => $r[0] === 401 && $r[1]['code'] === 'invalid_signature');
check('wrong tenant -> 403 tenant_mismatch', fn () => raw($base, $key, '/v1/events', $ev(['tenant' => 'other-space'])), fn ($r) => $r[0] === 403 && $r[1]['code'] === 'tenant_mismatch');
check('wrong space -> 403 tenant_mismatch', fn () => raw($base, $key, '/v1/identify', json_encode(['user_id' => $uid, 'traits' => [], 'space' => 'other'])), fn ($r) => $r[0] === 403 && $r[1]['code'] === 'tenant_mismatch');

// Browser tokens (SDK 0.7: createBrowserToken, createBrowserStreamToken) and the client API
$created = [];
$admin = function (string $path, array $body) use ($base, $key, &$created): array {
    $r = raw($base, $key, $path, json_encode($body, JSON_UNESCAPED_SLASHES));
    if (isset($r[1]['id']) && isset($r[1]['key'])) { $created[] = $r[1]['id']; }
    return $r;
};
$pk = null; $pkId = null;
check('admin: create a browser key (shown once)', fn () => $admin('/v1/admin/keys', ['kind' => 'browser']), function ($r) use (&$pk, &$pkId) {
    [$pk, $pkId] = [$r[1]['key'] ?? null, $r[1]['id'] ?? null];
    return $r[0] === 201 && str_starts_with((string) $pk, 'pk_test_');
});
$pk ??= 'pk_test_missing';
function jwtPart(string $token, int $i): array { return json_decode(base64_decode(strtr(explode('.', $token)[$i] ?? '', '-_', '+/')), true) ?? []; }
$tok = null;
check('createBrowserToken', fn () => $sdk->createBrowserToken($pk, $uid), function ($t) use (&$tok, $uid, $base) {
    $tok = $t->token;
    $h = jwtPart($t->token, 0); $c = jwtPart($t->token, 1);
    echo "       header=" . j($h) . " claims=" . j(array_diff_key($c, ['jti' => 1])) . "\n";
    return $t->tokenType === 'Bearer' && $t->expiresIn > 0 && $t->expiresIn <= 1800
        && abs($t->expiresAt->getTimestamp() - time() - $t->expiresIn) <= 2
        && $h['alg'] === 'HS256' && $h['typ'] === 'perkamo.client+jwt' && isset($h['kid'])
        && $c['sub'] === $uid && $c['aud'] === rtrim($base, '/') . '/v1/client'
        && in_array('events:write', $c['scope'], true) && in_array('profile:read', $c['scope'], true);
});
check('createBrowserToken (ttl 60)', fn () => $sdk->createBrowserToken($pk, $uid, 60), fn ($t) => $t->expiresIn === 60);
$streamTok = null;
check('createBrowserStreamToken (default ttl 120)', fn () => $sdk->createBrowserStreamToken($pk, $uid), function ($t) use (&$streamTok) {
    $streamTok = $t->token;
    return $t->tokenType === 'Bearer' && $t->expiresIn === 120 && jwtPart($t->token, 1)['scope'] === ['stream:read'];
});
check('createBrowserToken(unknown browser key) -> 400', fn () => $sdk->createBrowserToken('pk_test_doesnotexist000', $uid), $is(400, 'invalid_browser_key'));
$bearer = fn (?string $t, string ...$more) => array_merge(['authorization: Bearer ' . $t], $more);
check('token reads GET /v1/client/customer', fn () => http('GET', "$base/v1/client/customer", $bearer($tok)), fn ($r) => $r[0] === 200 && $r[1]['user_id'] === $uid);
check('token posts an allowed event to /v1/client/events', fn () => http('POST', "$base/v1/client/events", $bearer($tok), json_encode(['event' => 'lesson.finished', 'transaction_id' => "client-$run"])),
    fn ($r) => $r[0] === 200 && $r[1]['applied'] === true && $r[1]['transaction_id'] === "client-$run");
check('the same client event again -> duplicate', fn () => http('POST', "$base/v1/client/events", $bearer($tok), json_encode(['event' => 'lesson.finished', 'transaction_id' => "client-$run"])),
    fn ($r) => $r[0] === 200 && $r[1]['duplicate'] === true);
check('CORS: an allowed origin gets access-control-allow-origin', fn () => http('GET', "$base/v1/client/customer", $bearer($tok, 'origin: http://localhost:3000')),
    fn ($r) => $r[0] === 200 && ($r[2]['access-control-allow-origin'] ?? null) === 'http://localhost:3000');
check('CORS: another origin -> 403 origin_not_allowed, no CORS headers', fn () => http('GET', "$base/v1/client/customer", $bearer($tok, 'origin: https://evil.example')),
    fn ($r) => $r[0] === 403 && $r[1]['code'] === 'origin_not_allowed' && !isset($r[2]['access-control-allow-origin']));
check('token for another user_id -> 403 user_mismatch', fn () => http('POST', "$base/v1/client/events", $bearer($tok), json_encode(['user_id' => "someone-else-$run", 'event' => 'lesson.finished'])),
    fn ($r) => $r[0] === 403 && $r[1]['code'] === 'user_mismatch');
check('stream token cannot read the profile -> 403 insufficient_scope', fn () => http('GET', "$base/v1/client/customer", $bearer($streamTok)),
    fn ($r) => $r[0] === 403 && $r[1]['code'] === 'insufficient_scope');
check('token on a server route -> 403', fn () => http('GET', "$base/v1/customer/" . rawurlencode($uid), $bearer($tok)), fn ($r) => $r[0] === 403);
check('server key on a client route -> 403', fn () => http('GET', "$base/v1/client/customer", ["x-perkamo-api-key: $key"]), fn ($r) => $r[0] === 403);
check('tampered token -> 401 invalid_token', fn () => http('GET', "$base/v1/client/customer", $bearer(substr((string) $tok, 0, -2) . (str_ends_with((string) $tok, 'AA') ? 'BB' : 'AA'))),
    fn ($r) => $r[0] === 401 && $r[1]['code'] === 'invalid_token');

// An app signing its own token with a signing key (HS256 over the JWT, nothing else needed)
$kid = null; $secret = null;
check('admin: create a signing key for the browser key', fn () => $admin('/v1/admin/keys', ['kind' => 'signing', 'browser_key_id' => $pkId]), function ($r) use (&$kid, &$secret) {
    [$kid, $secret] = [$r[1]['id'] ?? null, $r[1]['key'] ?? null];
    return $r[0] === 201 && $kid !== null && $secret !== null;
});
function b64u(string $s): string { return rtrim(strtr(base64_encode($s), '+/', '-_'), '='); }
function selfSigned(string $kid, string $secret, array $claims): string {
    $input = b64u(json_encode(['alg' => 'HS256', 'typ' => 'perkamo.client+jwt', 'kid' => $kid])) . '.' . b64u(json_encode($claims, JSON_UNESCAPED_SLASHES));
    return $input . '.' . b64u(hash_hmac('sha256', $input, $secret, true));
}
$claims = ['iss' => 'php-sdk-check', 'aud' => rtrim($base, '/') . '/v1/client', 'sub' => $uid, 'scope' => ['profile:read'],
    'iat' => time(), 'nbf' => time(), 'exp' => time() + 300, 'jti' => 'check-' . bin2hex(random_bytes(8))];
$own = selfSigned((string) $kid, (string) $secret, $claims);
check('self-signed token reads /v1/client/customer', fn () => http('GET', "$base/v1/client/customer", $bearer($own)), fn ($r) => $r[0] === 200 && $r[1]['user_id'] === $uid);
check('self-signed token with the pk_ as kid (legacy form) is accepted', fn () => http('GET', "$base/v1/client/customer", $bearer(selfSigned($pk, (string) $secret, $claims))), fn ($r) => $r[0] === 200);
check('self-signed token without events:write cannot post -> 403 insufficient_scope', fn () => http('POST', "$base/v1/client/events", $bearer($own), json_encode(['event' => 'lesson.finished'])),
    fn ($r) => $r[0] === 403 && $r[1]['code'] === 'insufficient_scope');
check('expired self-signed token -> 401 token_expired', fn () => http('GET', "$base/v1/client/customer", $bearer(selfSigned((string) $kid, (string) $secret, ['iat' => time() - 600, 'nbf' => time() - 600, 'exp' => time() - 300] + $claims))),
    fn ($r) => $r[0] === 401 && $r[1]['code'] === 'token_expired');
foreach (array_reverse($created) as $id) {
    check("admin: revoke $id", fn () => raw($base, $key, "/v1/admin/keys/$id/revoke", ''), fn ($r) => $r[0] === 200);
}
check('after revoking: the signing key\'s token -> 401 unknown_kid', fn () => http('GET', "$base/v1/client/customer", $bearer($own)), fn ($r) => $r[0] === 401 && $r[1]['code'] === 'unknown_kid');
check('after revoking: the minted token -> 401', fn () => http('GET', "$base/v1/client/customer", $bearer($tok)), fn ($r) => $r[0] === 401);

// Rate limits: a second server key, the Space at 3 requests a minute per server key; its 4th
// read is a 429 whose retry-after and ratelimit-* headers the SDK hands over
$slowKey = null; $slowId = null;
check('admin: a server key for the rate-limit check', fn () => $admin('/v1/admin/keys', ['kind' => 'server', 'scopes' => ['profile:read']]), function ($r) use (&$slowKey, &$slowId) {
    [$slowId, $slowKey] = [$r[1]['id'] ?? null, $r[1]['key'] ?? null];
    return $r[0] === 201 && $slowKey !== null;
});
check('admin: POST /v1/admin/rate-limits server_key 3 a minute', fn () => $admin('/v1/admin/rate-limits', ['server_key' => 3]),
    fn ($r) => $r[0] === 200 && $r[1]['limits']['server_key'] === ['per_minute' => 3, 'default' => false]);
$slow = new Client($base, (string) $slowKey);
for ($i = 1; $i <= 3; $i++) {
    check("customer() $i of 3", fn () => $slow->customer($uid), fn ($r) => $r['user_id'] === $uid);
}
check('customer() 4 of 3 -> 429 rate_limited, retryAfter() and rateLimit()', fn () => $slow->customer($uid), function ($e) use ($is) {
    $rl = $e instanceof PerkamoApiException ? $e->rateLimit() : [];
    echo "     rateLimit() " . j($rl) . "\n";
    return $is(429, 'rate_limited')($e) && ctype_digit((string) $e->retryAfter()) && (int) $e->retryAfter() >= 1
        && (int) $e->retryAfter() <= 20 && $rl['limit'] === 3 && $rl['remaining'] === 0 && ctype_digit((string) $rl['reset']);
});
check('the other server key is not slowed (its own bucket)', fn () => $sdk->customer($uid), fn ($r) => $r['user_id'] === $uid);
check('admin: server_key back to the default', fn () => $admin('/v1/admin/rate-limits', ['server_key' => null]),
    fn ($r) => $r[0] === 200 && $r[1]['limits']['server_key']['default'] === true);
check('admin: revoke the rate-limit key', fn () => raw($base, $key, "/v1/admin/keys/$slowId/revoke", ''), fn ($r) => $r[0] === 200);
echo $fail === 0 ? "ALL OK\n" : "$fail FAILED\n";
exit($fail === 0 ? 0 : 1);
