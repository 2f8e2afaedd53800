/*
 * scram.c — SCRAM-SHA-256 (RFC 5802, RFC 7677) as PostgreSQL uses it, with
 * OpenSSL's HMAC, SHA-256 and PBKDF2: making a password's verifier, and the
 * server's side of the exchange.
 *
 * A verifier is PostgreSQL's text form, which pg_authid.rolpassword holds:
 *     SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>   (base64)
 * where SaltedPassword = PBKDF2-HMAC-SHA-256(password, salt, iterations),
 * StoredKey = SHA-256(HMAC(SaltedPassword, "Client Key")) and ServerKey =
 * HMAC(SaltedPassword, "Server Key"). The password itself is never kept.
 *
 * The exchange (the client speaks first):
 *   client-first  n,,n=,r=<client nonce>           (channel binding not offered: "n")
 *   server-first  r=<client nonce><server nonce>,s=<salt>,i=<iterations>
 *   client-final  c=biws,r=<nonce>,p=<ClientProof>
 *   server-final  v=<ServerSignature>
 * ClientSignature = HMAC(StoredKey, AuthMessage), AuthMessage =
 * client-first-bare "," server-first "," client-final-without-proof, and
 * ClientKey = ClientProof XOR ClientSignature must hash to StoredKey.
 *
 * INTERFACE: pgwire_scram_verifier, pgwire_password_matches (pgwire.h);
 *   pgwire__scram_* (pgwire_int.h)
 */
#include "pgwire/pgwire_int.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SCRAM_ITERATIONS 4096 /* PostgreSQL's scram_iterations */
#define SALT_LEN 16
#define KEY_LEN SHA256_DIGEST_LENGTH
#define NONCE_LEN 18

static void hmac(const unsigned char *key, size_t klen, const char *msg, size_t mlen, unsigned char out[KEY_LEN]) {
    unsigned int n = KEY_LEN;
    HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, mlen, out, &n);
}

static int b64_encode(const unsigned char *in, size_t n, char *out) {
    return EVP_EncodeBlock((unsigned char *)out, in, (int)n);
}

/* Decodes base64 into out (cap bytes); returns the length or -1. */
static int b64_decode(const char *in, size_t n, unsigned char *out, size_t cap) {
    if (n % 4 || n / 4 * 3 > cap + 2) return -1;
    unsigned char buf[512];
    if (n / 4 * 3 > sizeof buf) return -1;
    int len = EVP_DecodeBlock(buf, (const unsigned char *)in, (int)n);
    if (len < 0) return -1;
    while (n > 0 && in[n - 1] == '=') n--, len--;
    if ((size_t)len > cap) return -1;
    memcpy(out, buf, (size_t)len);
    return len;
}

static void salted_password(const char *password, const unsigned char *salt, size_t slen, int iterations,
                            unsigned char out[KEY_LEN]) {
    PKCS5_PBKDF2_HMAC(password, (int)strlen(password), salt, (int)slen, iterations, EVP_sha256(), KEY_LEN, out);
}

static void keys_of(const unsigned char salted[KEY_LEN], unsigned char stored[KEY_LEN], unsigned char server[KEY_LEN]) {
    unsigned char client[KEY_LEN];
    hmac(salted, KEY_LEN, "Client Key", 10, client);
    SHA256(client, KEY_LEN, stored);
    hmac(salted, KEY_LEN, "Server Key", 10, server);
}

bool pgwire_scram_verifier(const char *password, char *out, size_t cap) {
    unsigned char salt[SALT_LEN], salted[KEY_LEN], stored[KEY_LEN], server[KEY_LEN];
    if (RAND_bytes(salt, sizeof salt) != 1) return false;
    salted_password(password, salt, sizeof salt, SCRAM_ITERATIONS, salted);
    keys_of(salted, stored, server);
    char s64[64], st64[64], sv64[64];
    b64_encode(salt, sizeof salt, s64);
    b64_encode(stored, KEY_LEN, st64);
    b64_encode(server, KEY_LEN, sv64);
    return snprintf(out, cap, "SCRAM-SHA-256$%d:%s$%s:%s", SCRAM_ITERATIONS, s64, st64, sv64) < (int)cap;
}

/* A verifier's parts; false if it is not one. */
typedef struct Verifier {
    int iterations;
    unsigned char salt[64];
    int salt_len;
    char salt64[96];
    unsigned char stored[KEY_LEN], server[KEY_LEN];
} Verifier;

static bool parse_verifier(const char *v, Verifier *out) {
    char salt[96], stored[64], server[64];
    if (strncmp(v, "SCRAM-SHA-256$", 14) != 0) return false;
    if (sscanf(v + 14, "%d:%95[^$]$%63[^:]:%63s", &out->iterations, salt, stored, server) != 4) return false;
    if (out->iterations < 1) return false;
    snprintf(out->salt64, sizeof out->salt64, "%s", salt);
    out->salt_len = b64_decode(salt, strlen(salt), out->salt, sizeof out->salt);
    return out->salt_len > 0 && b64_decode(stored, strlen(stored), out->stored, KEY_LEN) == KEY_LEN &&
           b64_decode(server, strlen(server), out->server, KEY_LEN) == KEY_LEN;
}

bool pgwire_is_scram_verifier(const char *s) {
    Verifier v;
    return parse_verifier(s, &v);
}

bool pgwire_password_matches(const char *verifier, const char *password) {
    Verifier v;
    if (!parse_verifier(verifier, &v)) return false;
    unsigned char salted[KEY_LEN], stored[KEY_LEN], server[KEY_LEN];
    salted_password(password, v.salt, (size_t)v.salt_len, v.iterations, salted);
    keys_of(salted, stored, server);
    return CRYPTO_memcmp(stored, v.stored, KEY_LEN) == 0;
}

/* ---- the server's side of the exchange ------------------------------------------------- */

struct PgScram {
    Verifier v;
    bool mock; /* no such role or no password: the exchange runs and fails */
    char client_first_bare[512];
    char server_first[512];
    char nonce[256]; /* client's and ours */
};

/* A verifier that matches no password, so an unknown role fails the way a
 * wrong password does and reveals nothing (PostgreSQL's mock_scram). */
static void mock_verifier(Verifier *v) {
    v->iterations = SCRAM_ITERATIONS;
    v->salt_len = SALT_LEN;
    RAND_bytes(v->salt, SALT_LEN);
    b64_encode(v->salt, SALT_LEN, v->salt64);
    RAND_bytes(v->stored, KEY_LEN);
    RAND_bytes(v->server, KEY_LEN);
}

PgScram *pgwire__scram_begin(const char *verifier) {
    PgScram *s = calloc(1, sizeof *s);
    if (!s) abort();
    if (!verifier || !parse_verifier(verifier, &s->v)) {
        s->mock = true;
        mock_verifier(&s->v);
    }
    return s;
}

void pgwire__scram_free(PgScram *s) { free(s); }

/* The value of attribute `name` ("r=...") in a comma-separated message. */
static bool attribute(const char *msg, char name, char *out, size_t cap) {
    for (const char *p = msg; p && *p; p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL) {
        if (p[0] == name && p[1] == '=') {
            size_t n = strcspn(p + 2, ",");
            if (n >= cap) return false;
            memcpy(out, p + 2, n);
            out[n] = '\0';
            return true;
        }
    }
    return false;
}

/* client-first-message: gs2 header "n,," (or "y,,": the client could bind
 * the channel but thinks we cannot), then the bare part. Fills out with
 * server-first-message. NULL on success, else why it is malformed. */
const char *pgwire__scram_first(PgScram *s, const char *msg, size_t len, char *out, size_t cap) {
    char text[512], cnonce[160];
    if (len >= sizeof text || memchr(msg, '\0', len)) return "malformed SCRAM message";
    memcpy(text, msg, len);
    text[len] = '\0';
    if (text[0] == 'p') return "channel binding is not supported";
    if ((text[0] != 'n' && text[0] != 'y') || text[1] != ',') return "malformed SCRAM message";
    const char *bare = strchr(text + 2, ',');
    if (!bare) return "malformed SCRAM message";
    bare++;
    if (!attribute(bare, 'r', cnonce, sizeof cnonce) || !cnonce[0]) return "malformed SCRAM message";
    snprintf(s->client_first_bare, sizeof s->client_first_bare, "%s", bare);
    unsigned char raw[NONCE_LEN];
    char ours[32];
    RAND_bytes(raw, sizeof raw);
    b64_encode(raw, sizeof raw, ours);
    snprintf(s->nonce, sizeof s->nonce, "%s%s", cnonce, ours);
    snprintf(s->server_first, sizeof s->server_first, "r=%s,s=%s,i=%d", s->nonce, s->v.salt64, s->v.iterations);
    snprintf(out, cap, "%s", s->server_first);
    return NULL;
}

/* client-final-message: checks the nonce and the proof. *ok: the password
 * was right (then out is server-final-message). NULL, or why it is
 * malformed. */
const char *pgwire__scram_final(PgScram *s, const char *msg, size_t len, bool *ok, char *out, size_t cap) {
    char text[512], nonce[256], proof64[128];
    *ok = false;
    if (len >= sizeof text || memchr(msg, '\0', len)) return "malformed SCRAM message";
    memcpy(text, msg, len);
    text[len] = '\0';
    char *p = strstr(text, ",p=");
    if (!p || !attribute(text, 'r', nonce, sizeof nonce) || !attribute(p + 1, 'p', proof64, sizeof proof64))
        return "malformed SCRAM message";
    if (strcmp(nonce, s->nonce) != 0) return "invalid SCRAM response (nonce mismatch)";
    unsigned char proof[KEY_LEN];
    if (b64_decode(proof64, strlen(proof64), proof, KEY_LEN) != KEY_LEN) return "malformed SCRAM message";
    *p = '\0'; /* client-final-message-without-proof */
    char auth[1600];
    int an = snprintf(auth, sizeof auth, "%s,%s,%s", s->client_first_bare, s->server_first, text);
    if (an < 0 || an >= (int)sizeof auth) return "malformed SCRAM message";
    unsigned char sig[KEY_LEN], client_key[KEY_LEN], stored[KEY_LEN];
    hmac(s->v.stored, KEY_LEN, auth, (size_t)an, sig);
    for (int i = 0; i < KEY_LEN; i++) client_key[i] = proof[i] ^ sig[i];
    SHA256(client_key, KEY_LEN, stored);
    *ok = !s->mock && CRYPTO_memcmp(stored, s->v.stored, KEY_LEN) == 0;
    if (!*ok) return NULL;
    unsigned char server_sig[KEY_LEN];
    char sig64[64];
    hmac(s->v.server, KEY_LEN, auth, (size_t)an, server_sig);
    b64_encode(server_sig, KEY_LEN, sig64);
    snprintf(out, cap, "v=%s", sig64);
    return NULL;
}
