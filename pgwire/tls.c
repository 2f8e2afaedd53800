/*
 * tls.c — TLS for pgwire (OpenSSL, TLS 1.2 and later): the server's
 * context from a certificate and key, a self-signed pair for a server
 * given none, and one session per connection driven through memory BIOs,
 * so that libuv does all socket I/O and nothing ever blocks.
 *
 * A connection's TLS (PgTlsConn) is a byte pump between two sides:
 *   network -> pgwire__tls_received -> (handshake, then SSL_read) -> plaintext out
 *   plaintext -> pgwire__tls_send -> SSL_write -> ciphertext, taken by
 *   pgwire__tls_pending / pgwire__tls_take for the socket
 * The handshake runs as ciphertext arrives; its replies come out of the
 * same take.
 *
 * INTERFACE: pgwire_tls_make_self_signed, pgwire_server_set_tls (pgwire.h);
 *   pgwire__tls_* (pgwire_int.h)
 */
#include "pgwire/pgwire_int.h"

#include <openssl/err.h>
#include <openssl/rand.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

struct PgTlsConn {
    SSL *ssl;
    BIO *rbio, *wbio; /* network -> ssl, ssl -> network */
    bool ready;       /* the handshake is done */
};

static bool tls_error(Error *err, const char *what) {
    char buf[256];
    unsigned long e = ERR_get_error();
    ERR_error_string_n(e, buf, sizeof buf);
    ERR_clear_error();
    return error_set(err, SQLSTATE_CONNECTION_EXCEPTION, "%s: %s", what, e ? buf : "unknown error");
}

/* ---- the certificate -------------------------------------------------------- */

static bool add_ext(X509 *cert, int nid, const char *value) {
    X509V3_CTX ctx;
    X509V3_set_ctx_nodb(&ctx);
    X509V3_set_ctx(&ctx, cert, cert, NULL, NULL, 0);
    X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &ctx, nid, value);
    if (!ext) return false;
    bool ok = X509_add_ext(cert, ext, -1) == 1;
    X509_EXTENSION_free(ext);
    return ok;
}

static bool write_pem(const char *path, bool key, EVP_PKEY *pkey, X509 *cert, Error *err) {
    FILE *f = fopen(path, "wx"); /* never over an existing file */
    if (!f) return error_set(err, SQLSTATE_IO_ERROR, "could not create \"%s\": %m", path);
    if (key) fchmod(fileno(f), 0600);
    bool ok = key ? PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1 : PEM_write_X509(f, cert) == 1;
    if (fclose(f) != 0) ok = false;
    return ok || tls_error(err, path);
}

/* A self-signed certificate for localhost (its own root, so that clients
 * can verify it with sslmode=verify-ca and sslrootcert set to it) with an
 * EC P-256 key, valid ten years. */
bool pgwire_tls_make_self_signed(const char *cert_file, const char *key_file, Error *err) {
    EVP_PKEY *pkey = EVP_EC_gen("P-256");
    X509 *cert = X509_new();
    bool ok = pkey && cert;
    if (ok) {
        X509_set_version(cert, 2);
        unsigned char serial[16];
        RAND_bytes(serial, sizeof serial);
        serial[0] &= 0x7f;
        BIGNUM *bn = BN_bin2bn(serial, sizeof serial, NULL);
        BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert));
        BN_free(bn);
        X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
        X509_gmtime_adj(X509_getm_notAfter(cert), 10L * 365 * 24 * 3600);
        X509_set_pubkey(cert, pkey);
        X509_NAME *name = X509_get_subject_name(cert);
        X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"strand", -1, -1, 0);
        X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)"localhost", -1, -1, 0);
        X509_set_issuer_name(cert, name);
        ok = add_ext(cert, NID_basic_constraints, "critical,CA:TRUE") &&
             add_ext(cert, NID_key_usage, "critical,digitalSignature,keyCertSign") &&
             add_ext(cert, NID_subject_alt_name, "DNS:localhost,IP:127.0.0.1,IP:::1") &&
             add_ext(cert, NID_subject_key_identifier, "hash") && X509_sign(cert, pkey, EVP_sha256()) > 0;
    }
    if (!ok) tls_error(err, "could not make a self-signed certificate");
    if (ok) ok = write_pem(key_file, true, pkey, cert, err) && write_pem(cert_file, false, pkey, cert, err);
    EVP_PKEY_free(pkey);
    X509_free(cert);
    return ok;
}

/* ---- the server's context ------------------------------------------------------- */

SSL_CTX *pgwire__tls_context(const char *cert_file, const char *key_file, Error *err) {
    SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
    if (!ctx) return tls_error(err, "could not create the TLS context"), NULL;
    SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
    SSL_CTX_set_options(ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_mode(ctx, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file) != 1) {
        tls_error(err, cert_file);
        SSL_CTX_free(ctx);
        return NULL;
    }
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file, SSL_FILETYPE_PEM) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
        tls_error(err, key_file);
        SSL_CTX_free(ctx);
        return NULL;
    }
    return ctx;
}

void pgwire__tls_context_free(SSL_CTX *ctx) { SSL_CTX_free(ctx); }

/* ---- one connection ------------------------------------------------------------- */

PgTlsConn *pgwire__tls_start(SSL_CTX *ctx) {
    PgTlsConn *t = calloc(1, sizeof *t);
    if (!t) abort();
    t->ssl = SSL_new(ctx);
    t->rbio = BIO_new(BIO_s_mem());
    t->wbio = BIO_new(BIO_s_mem());
    if (!t->ssl || !t->rbio || !t->wbio) abort();
    BIO_set_mem_eof_return(t->rbio, -1); /* no data yet is "retry", not EOF */
    SSL_set_bio(t->ssl, t->rbio, t->wbio);
    SSL_set_accept_state(t->ssl);
    return t;
}

void pgwire__tls_free(PgTlsConn *t) {
    if (!t) return;
    SSL_free(t->ssl); /* frees both BIOs */
    free(t);
}

bool pgwire__tls_ready(const PgTlsConn *t) { return t->ready; }

/* Ciphertext from the network. Plaintext that results goes to `deliver`
 * (it may be called several times). False: the session cannot go on (a
 * failed handshake or a corrupt record); the caller closes. */
bool pgwire__tls_received(PgTlsConn *t, const char *data, size_t len, void (*deliver)(void *, const char *, size_t),
                          void *ctx) {
    if (len && BIO_write(t->rbio, data, (int)len) != (int)len) return false;
    if (!t->ready) {
        int r = SSL_do_handshake(t->ssl);
        if (r != 1) {
            int e = SSL_get_error(t->ssl, r);
            ERR_clear_error();
            return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
        }
        t->ready = true;
    }
    char buf[16384];
    for (;;) {
        int n = SSL_read(t->ssl, buf, sizeof buf);
        if (n > 0) {
            deliver(ctx, buf, (size_t)n);
            continue;
        }
        int e = SSL_get_error(t->ssl, n);
        ERR_clear_error();
        return e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE;
    }
}

/* Plaintext for the peer; its ciphertext waits in the session. */
bool pgwire__tls_send(PgTlsConn *t, const char *data, size_t len) {
    while (len > 0) {
        int n = SSL_write(t->ssl, data, len > INT32_MAX ? INT32_MAX : (int)len);
        if (n <= 0) {
            ERR_clear_error();
            return false;
        }
        data += n;
        len -= (size_t)n;
    }
    return true;
}

/* close_notify, to be sent before the socket closes. */
void pgwire__tls_shutdown(PgTlsConn *t) {
    if (t->ready) SSL_shutdown(t->ssl);
    ERR_clear_error();
}

size_t pgwire__tls_pending(const PgTlsConn *t) { return BIO_ctrl_pending(t->wbio); }

/* Up to cap bytes of ciphertext for the network. */
size_t pgwire__tls_take(PgTlsConn *t, char *out, size_t cap) {
    int n = BIO_read(t->wbio, out, cap > INT32_MAX ? INT32_MAX : (int)cap);
    return n > 0 ? (size_t)n : 0;
}
