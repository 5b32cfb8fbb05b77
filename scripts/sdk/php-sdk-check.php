<?php
// Runs the official PHP SDK (perkamo/sdk, unmodified) against a Perkamo engine:
//   PERKAMO_PHP_SDK=/path/to/php-sdk php scripts/sdk/php-sdk-check.php [baseUrl] [serverKey]
// PERKAMO_PHP_SDK is a checkout of the SDK (or vendor/perkamo/sdk); only its src/ is loaded.
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
function check(string $name, callable $f, ?callable $expect = null): void {
    global $fail;
    try {
        $r = $f();
        $shown = is_object($r) && method_exists($r, 'toArray') ? $r->toArray() : $r;
        $ok = $expect === null || $expect($r) === true;
        echo ($ok ? 'OK   ' : 'FAIL ') . "$name -> " . substr(j($shown), 0, 400) . "\n";
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
check('profile(account:acme:42)', fn () => $sdk->profile($uid), fn ($r) => is_array($r) && $r !== []);
check('profile(unknown) -> 404', fn () => $sdk->profile("nobody-$run"), $is(404));
$odd = "shop/eu user+1@x.cz é-$run";
check('identify odd user id', fn () => $sdk->identify($odd, ['x' => 1]), fn ($r) => is_array($r));
check('emit odd user id', fn () => $sdk->emit($odd, 'lesson.finished'), fn ($r) => $r->applied);
check('profile(odd user id, rawurlencoded)', fn () => $sdk->profile($odd), fn ($r) => is_array($r) && $r !== []);
if (method_exists($sdk, 'customer')) { check('customer()', fn () => $sdk->customer($uid), fn ($r) => is_array($r)); }
else { echo "SKIP customer(): not in this SDK version (profile() used)\n"; }
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
check('createBrowserToken (known gap: 501 expected)', fn () => $sdk->createBrowserToken('pk_test_x', $uid), $is(501, 'not_implemented'));
check('unknown key -> 401 with request id', fn () => (new Client($base, 'sk_test_doesnotexist000'))->emit($uid, 'lesson.finished'), $is(401, 'invalid_api_key'));
check('unknown key GET -> 401', fn () => (new Client($base, 'sk_test_doesnotexist000'))->profile($uid), $is(401, 'invalid_api_key'));

// Raw requests signed with the SDK's own RequestSigner (the SDK itself never sends tenant/space)
function raw(string $base, string $key, string $path, string $body, ?string $sig = null): array {
    $ts = (string) time();
    $sig ??= RequestSigner::sign($key, $ts, 'POST', $path, $body);
    $ctx = stream_context_create(['http' => ['method' => 'POST', 'ignore_errors' => true, 'content' => $body,
        'header' => "accept: application/json\r\ncontent-type: application/json\r\nx-perkamo-api-key: $key\r\nx-perkamo-timestamp: $ts\r\nx-perkamo-signature: $sig"]]);
    $b = file_get_contents($base . $path, false, $ctx);
    preg_match('/\d{3}/', $http_response_header[0], $m);
    return [(int) $m[0], json_decode($b, true)];
}
$ev = fn (array $extra) => json_encode(['user_id' => $uid, 'event' => 'lesson.finished', 'transaction_id' => 'raw-' . bin2hex(random_bytes(4)), 'context' => [], 'occurred_at' => gmdate('c')] + $extra);
check('SDK-signed raw POST -> 200', fn () => raw($base, $key, '/v1/events', $ev([])), fn ($r) => $r[0] === 200);
check('tampered signature -> 401 invalid_signature', fn () => raw($base, $key, '/v1/events', $ev([]), 'v1=' . str_repeat('0', 64)), fn ($r) => $r[0] === 401 && $r[1]['code'] === 'invalid_signature');
check('wrong tenant -> 403 tenant_mismatch', fn () => raw($base, $key, '/v1/events', $ev(['tenant' => 'other-space'])), fn ($r) => $r[0] === 403 && $r[1]['code'] === 'tenant_mismatch');
check('wrong space -> 403 tenant_mismatch', fn () => raw($base, $key, '/v1/identify', json_encode(['user_id' => $uid, 'traits' => [], 'space' => 'other'])), fn ($r) => $r[0] === 403 && $r[1]['code'] === 'tenant_mismatch');
echo $fail === 0 ? "ALL OK\n" : "$fail FAILED\n";
exit($fail === 0 ? 0 : 1);
