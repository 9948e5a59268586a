//! The known answers `supajwt selftest` checks, embedded in the binary.
//!
//! From the RFCs: RFC 7515 Appendix A.1–A.3, RFC 7520 §4.1, §4.2 and §4.4 and RFC 8037 §A.4
//! (the JOSE cookbook files in `tests/data/jose-cookbook/`), RFC 4231 §4.8 (HMAC-SHA-384/512).
//! For the algorithms no RFC gives a JWS example for (RS384, RS512, PS256, PS512, ES384), the
//! answers were computed once with an independent implementation, pyca/cryptography 48
//! (OpenSSL), over [`OTHER_MESSAGE`]: RSA with the RFC 7515 A.2 key, ES384 with the P-384 key
//! below.

/// The payload of the RFC 7515 examples (`exp` 1300819380).
pub const A_PAYLOAD: &str = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ";
/// One second before the RFC 7515 examples expire.
pub const A_BEFORE_EXP: i64 = 1_300_819_379;

/// RFC 7515 A.1: HS256.
pub const A1_TOKEN_HEAD: &str = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9";
/// RFC 7515 A.1's key.
pub const A1_JWK: &str = r#"{"kty":"oct","k":"AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"}"#;
/// RFC 7515 A.1's MAC.
pub const A1_SIG: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";

/// RFC 7515 A.2: RS256 key (n).
pub const A2_N: &str = "ofgWCuLjybRlzo0tZWJjNiuSfb4p4fAkd_wWJcyQoTbji9k0l8W26mPddxHmfHQp-Vaw-4qPCJrcS2mJPMEzP1Pt0Bm4d4QlL-yRT-SFd2lZS-pCgNMsD1W_YpRPEwOWvG6b32690r2jZ47soMZo9wGzjb_7OMg0LOL-bSf63kpaSHSXndS5z5rexMdbBYUsLA9e-KXBdQOS-UTo7WTBEMa2R2CapHg665xsmtdVMTBQY4uDZlxvb3qCo5ZwKh9kG4LT6_I5IhlJH7aGhyxXFvUK-DWNmoudF8NAco9_h9iaGNj8q2ethFkMLs91kzk2PAcDTW9gb54h4FRWyuXpoQ";
/// RFC 7515 A.2: d.
pub const A2_D: &str = "Eq5xpGnNCivDflJsRQBXHx1hdR1k6Ulwe2JZD50LpXyWPEAeP88vLNO97IjlA7_GQ5sLKMgvfTeXZx9SE-7YwVol2NXOoAJe46sui395IW_GO-pWJ1O0BkTGoVEn2bKVRUCgu-GjBVaYLU6f3l9kJfFNS3E0QbVdxzubSu3Mkqzjkn439X0M_V51gfpRLI9JYanrC4D4qAdGcopV_0ZHHzQlBjudU2QvXt4ehNYTCBr6XCLQUShb1juUO1ZdiYoFaFQT5Tw8bGUl_x_jTj3ccPDVZFD9pIuhLhBOneufuBiB4cS98l2SR_RQyGWSeWjnczT0QU91p1DhOVRuOopznQ";
/// RFC 7515 A.2: p.
pub const A2_P: &str = "4BzEEOtIpmVdVEZNCqS7baC4crd0pqnRH_5IB3jw3bcxGn6QLvnEtfdUdiYrqBdss1l58BQ3KhooKeQTa9AB0Hw_Py5PJdTJNPY8cQn7ouZ2KKDcmnPGBY5t7yLc1QlQ5xHdwW1VhvKn-nXqhJTBgIPgtldC-KDV5z-y2XDwGUc";
/// RFC 7515 A.2: q.
pub const A2_Q: &str = "uQPEfgmVtjL0Uyyx88GZFF1fOunH3-7cepKmtH4pxhtCoHqpWmT8YAmZxaewHgHAjLYsp1ZSe7zFYHj7C6ul7TjeLQeZD_YwD66t62wDmpe_HlB-TnBA-njbglfIsRLtXlnDzQkv5dTltRJ11BKBBypeeF6689rjcJIDEz9RWdc";
/// RFC 7515 A.2's signature.
pub const A2_SIG: &str = "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CUAr7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0igcN_IoypGlUPQGe77Rw";

/// RFC 7515 A.3: ES256 key.
pub const A3_JWK: &str = r#"{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI"}"#;
/// RFC 7515 A.3's signature.
pub const A3_SIG: &str =
    "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q";

/// RFC 7520 §4.1 (RS256), §4.2 (PS384), §4.4 (HS256) and RFC 8037 A.4 (EdDSA), as the
/// cookbook's JSON.
pub const COOKBOOK: [(&str, &str); 5] = [
    (
        "RFC 7520 4.1 RS256",
        include_str!("../../tests/data/jose-cookbook/jws/4_1.rsa_v15_signature.json"),
    ),
    (
        "RFC 7520 4.2 PS384",
        include_str!("../../tests/data/jose-cookbook/jws/4_2.rsa-pss_signature.json"),
    ),
    (
        "RFC 7520 4.3 ES512",
        include_str!("../../tests/data/jose-cookbook/jws/4_3.ecdsa_signature.json"),
    ),
    (
        "RFC 7520 4.4 HS256",
        include_str!("../../tests/data/jose-cookbook/jws/4_4.hmac-sha2_integrity_protection.json"),
    ),
    (
        "RFC 8037 A.4 EdDSA",
        include_str!("../../tests/data/jose-cookbook/curve25519/jws.json"),
    ),
];

/// RFC 4231 §4.8 (test case 7): 131 bytes of 0xaa.
pub const RFC4231_KEY_BYTE: u8 = 0xaa;
/// RFC 4231 §4.8's key length.
pub const RFC4231_KEY_LEN: usize = 131;
/// RFC 4231 §4.8's data.
pub const RFC4231_DATA: &str = "This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.";
/// RFC 4231 §4.8: HMAC-SHA-384.
pub const RFC4231_HS384: &str = "6617178e941f020d351e2f254e8fd32c602420feb0b8fb9adccebb82461e99c5a678cc31e799176d3860e6110c46523e";
/// RFC 4231 §4.8: HMAC-SHA-512.
pub const RFC4231_HS512: &str = "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58";

/// The message of the pyca/cryptography-computed answers.
pub const OTHER_MESSAGE: &str = "supajwt selftest";
/// RS384 over [`OTHER_MESSAGE`] with the A.2 key (PKCS#1 v1.5 is deterministic).
pub const RS384_SIG: &str = "gadBcEVwSH8MhIEPDNFoL2YcCnjAW20RPB775JjokwseeQXJ8BcxvLEJ9RB-EdrYQGJocPKP2bEfk937b72ekj-ltQeOzvmHTulptI9I6jhOEwjpEyptBbPYd9vDNPU7mx7jNiEADqU_vAEkPRZhIkuS2c9VtiQ8UFke3r_aCIpPAGNAxsGOO1yZQzMyjIImXMatSI3G9b5P2F2B9-GJ2I3MPm1i4Khv3IBD7VnHmBIGqR-uZ4Tv3ZtAmi1RYDxY-wfGHsK1xJJkB8IstfCP51ffwPH0OtgG08KZ1qqnBkD3wfFb0HI9CFjudJHXOinyjMxSftKcXPYugr43btLWhQ";
/// RS512 over [`OTHER_MESSAGE`] with the A.2 key.
pub const RS512_SIG: &str = "cZRwr0EKLL9o1eorujEL7BOLmlE21ZvaKgHAMy3781erKcQbQfbUlgHLTVAbG4j7Lvq7LRQOWqj8N6XBo6crHbxCSawSnGarHKsZCH2gH-cgw4uI9bjZWRb358R4Fz6MWTnavR__Ufsl1mQxhT-bFtSkGpE-mJwZn3P2wH1X5VjlQdKBa4vTwvhVnBm6rcAHa2JPtDuxq6zVGaAnLqtOZn7-X0mkjcEX-EbRZ107lSPyLOQDkgRzcf8WnwgPMVMNNNUV2bJ6sj4wLSSbG2wnXm3Aq2Jppw5m288Bera0dD8lpwvKUhBct0slXCxUnv6evcXlyF8QfKVctd4EaFHTTA";
/// PS256 over [`OTHER_MESSAGE`] with the A.2 key (salt = hash length; PSS is randomized, so
/// this one is only verified).
pub const PS256_SIG: &str = "JVVsfMVd-Kdr3A3FBMB2xOHclxP4leHXR1JBKVC8JON45JCTutWetHhlk0EAr7lbQBM884HjGoMF2iqdnYG2xl8N0EA2aE_y-V_A9oSKZPNnj3XmPRPVlrLif9LDKfev_4Aao1eY0oL6c5RegqnSlFqW30U9rBODI6Fn-M6M1mSjySAnIe070zeIqT9aBUdd938-y61W8kj9UBpdOFkYZjXrDdcBZuxpqbohKWCm160FhghILaznvsA1Gbq0BFP94ndE5bVzd13JGPorR4EJcbHKQmDJkIL2UHerLdwJPYjJH08_nac8VuUGAgGOxK1wkhktkHFzW5H8aqzCMdyZgA";
/// PS512 over [`OTHER_MESSAGE`] with the A.2 key.
pub const PS512_SIG: &str = "L6T1qYXyLfvi0fiwl0gKLamy-_EAmJk0q8UAXULr_rX9KmqnRsqDoGvZgTLHd81JMbRvzmmwKJ8IrrsUYZJzfpkzFfwPRFDGJ-0RWgSxo_tMgUh4D3rM8rXY0XT8DRy_ZQzsR04FOXxyYqSPIjh6Qob6PpUul4yHQ23iF4jZcWN4E_mVGIwuySCInNvcY_oNnIdhIdrCEg1xE2d_9fsj35cufRr_d_MNDFqH1t4rq1AGkFFwjqSIJ_p4wGDO57BOM9qfULQtbLDT34XN1SoL_81r2TxI9PPlsOyFyfV2aVUz9ouI9V08NoQtO6A1-15fdp9SOQbBqUJRP69R3gU5dg";
/// The P-384 public key of the ES384 answer (d = 0x1234567890abcdef repeated, 48 bytes).
pub const ES384_JWK: &str = r#"{"kty":"EC","crv":"P-384","x":"x_ZgMdhZE3bWofXODNnvX1FSyhv8whr4SrwdfFGGDLiEdT3CWRPT0Drx_QsiyVpr","y":"XvNAloXD6RiNhL6Ors3wiojD88V9RMWaGdFxRu_0h7ikdUVPoNUsMvob_MOfCURw"}"#;
/// ES384 over [`OTHER_MESSAGE`] (raw r||s).
pub const ES384_SIG: &str = "6wdBaj56nGOr_mUoJhmYu4mobCcl7rZKoCcru0f2osJZbSiMWt5uRYMuZlUOBMBjc99HEyopctckp7nynGxr9-P5k_tk9UUZgLOli-PnQqekpeU9gxBUl7SW12gXQ9GT";
