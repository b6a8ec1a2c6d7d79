#include "audit/timestamp.h"

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/sha.h>
#include <openssl/ts.h>
#include <openssl/x509.h>

#include <ctime>
#include <memory>

namespace vigil {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using Ptr = std::unique_ptr<T, Deleter<T, Free>>;

std::string OpenSslError() {
  unsigned long e = ERR_get_error();
  if (e == 0) {
    return "no detail";
  }
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  ERR_clear_error();
  return buf;
}

std::string Sha256(std::string_view data) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), md);
  return std::string(reinterpret_cast<char*>(md), sizeof md);
}

}  // namespace

Result<uint64_t> RandomNonce() {
  uint64_t n = 0;
  if (RAND_bytes(reinterpret_cast<unsigned char*>(&n), sizeof n) != 1) {
    return Internal("no random bytes for a nonce: " + OpenSslError());
  }
  return n >> 1;  // a positive INTEGER
}

Result<std::string> MakeTimestampRequest(std::string_view data, uint64_t nonce) {
  std::string digest = Sha256(data);
  Ptr<TS_REQ, TS_REQ_free> req(TS_REQ_new());
  Ptr<TS_MSG_IMPRINT, TS_MSG_IMPRINT_free> imprint(TS_MSG_IMPRINT_new());
  Ptr<X509_ALGOR, X509_ALGOR_free> alg(X509_ALGOR_new());
  Ptr<ASN1_INTEGER, ASN1_INTEGER_free> n(ASN1_INTEGER_new());
  if (!req || !imprint || !alg || !n || !TS_REQ_set_version(req.get(), 1) ||
      !X509_ALGOR_set0(alg.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) ||
      !TS_MSG_IMPRINT_set_algo(imprint.get(), alg.get()) ||
      !TS_MSG_IMPRINT_set_msg(imprint.get(), reinterpret_cast<unsigned char*>(digest.data()),
                              static_cast<int>(digest.size())) ||
      !TS_REQ_set_msg_imprint(req.get(), imprint.get()) ||
      !ASN1_INTEGER_set_uint64(n.get(), nonce) || !TS_REQ_set_nonce(req.get(), n.get()) ||
      !TS_REQ_set_cert_req(req.get(), 1)) {
    return Internal("cannot build a time-stamp request: " + OpenSslError());
  }
  unsigned char* der = nullptr;
  int len = i2d_TS_REQ(req.get(), &der);
  if (len <= 0) {
    return Internal("cannot encode a time-stamp request: " + OpenSslError());
  }
  std::string out(reinterpret_cast<char*>(der), static_cast<size_t>(len));
  OPENSSL_free(der);
  return out;
}

Result<TimestampFacts> CheckTimestampResponse(std::string_view response_der, std::string_view data,
                                              std::optional<uint64_t> nonce,
                                              std::string_view trust_pem) {
  const unsigned char* p = reinterpret_cast<const unsigned char*>(response_der.data());
  Ptr<TS_RESP, TS_RESP_free> resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(response_der.size())));
  if (!resp) {
    ERR_clear_error();
    return InvalidInput("not an RFC 3161 time-stamp response");
  }
  TS_STATUS_INFO* status = TS_RESP_get_status_info(resp.get());
  long code = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(status));
  if (code != 0 && code != 1) {
    return InvalidInput("the time-stamping authority refused the request (PKIStatus " +
                        std::to_string(code) + ")");
  }
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  if (info == nullptr) {
    return InvalidInput("the time-stamp response holds no token");
  }
  TimestampFacts facts;
  const ASN1_GENERALIZEDTIME* gen = TS_TST_INFO_get_time(info);
  std::tm tm{};
  if (gen == nullptr || ASN1_TIME_to_tm(gen, &tm) != 1) {
    return InvalidInput("the time-stamp token has no readable time");
  }
  facts.gen_time = FromUnixSeconds(static_cast<int64_t>(timegm(&tm)));
  const ASN1_INTEGER* serial = TS_TST_INFO_get_serial(info);
  if (serial != nullptr) {
    Ptr<BIGNUM, BN_free> bn(ASN1_INTEGER_to_BN(serial, nullptr));
    if (bn) {
      char* hex = BN_bn2hex(bn.get());
      facts.serial = hex;
      OPENSSL_free(hex);
    }
  }
  if (ASN1_OBJECT* policy = TS_TST_INFO_get_policy_id(info)) {
    char buf[128];
    OBJ_obj2txt(buf, sizeof buf, policy, 1);
    facts.policy = buf;
  }
  if (nonce) {
    const ASN1_INTEGER* got = TS_TST_INFO_get_nonce(info);
    uint64_t value = 0;
    if (got == nullptr || ASN1_INTEGER_get_uint64(&value, got) != 1 || value != *nonce) {
      return InvalidInput("the time-stamp token does not carry the request's nonce");
    }
  }
  // The trust anchors, checked at the token's own time.
  Ptr<X509_STORE, X509_STORE_free> store(X509_STORE_new());
  Ptr<BIO, BIO_free_all> bio(BIO_new_mem_buf(trust_pem.data(), static_cast<int>(trust_pem.size())));
  int anchors = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    X509_STORE_add_cert(store.get(), cert);
    X509_free(cert);
    ++anchors;
  }
  ERR_clear_error();
  if (anchors == 0) {
    return InvalidInput("the TSA trust file holds no PEM certificate");
  }
  X509_VERIFY_PARAM_set_time(X509_STORE_get0_param(store.get()),
                             static_cast<time_t>(ToUnixSeconds(facts.gen_time)));
  Ptr<TS_VERIFY_CTX, TS_VERIFY_CTX_free> ctx(TS_VERIFY_CTX_new());
  std::string digest = Sha256(data);
  auto* imprint = static_cast<unsigned char*>(OPENSSL_malloc(digest.size()));
  if (!ctx || imprint == nullptr) {
    OPENSSL_free(imprint);
    return Internal("out of memory");
  }
  std::copy(digest.begin(), digest.end(), imprint);
  TS_VERIFY_CTX_set_flags(ctx.get(),
                          TS_VFY_VERSION | TS_VFY_SIGNER | TS_VFY_SIGNATURE | TS_VFY_IMPRINT);
  TS_VERIFY_CTX_set_imprint(ctx.get(), imprint, static_cast<long>(digest.size()));
  TS_VERIFY_CTX_set_store(ctx.get(), store.release());
  if (TS_RESP_verify_response(ctx.get(), resp.get()) != 1) {
    return InvalidInput("the time-stamp token does not verify: " + OpenSslError());
  }
  return facts;
}

}  // namespace vigil
