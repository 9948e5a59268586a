"""PyJWT side of supajwt's interoperability test (driven by tests/interop_pyjwt.rs).

  verify: stdin is a JSON list of {"alg", "token", "key"} (key: PEM public key or secret text);
          prints a JSON list of true/false (PyJWT accepted the token or not).
  mint:   prints a JSON list of {"alg", "token", "key"} where "key" is what supajwt needs to
          verify it (a public PEM, or the secret), for HS256, RS256, RS512, ES256, ES512 and EdDSA.
"""
import json
import sys

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

CLAIMS = {"role": "anon", "iss": "supabase", "iat": 1767225600, "exp": 1767229200}
NOW_OPTIONS = {"verify_exp": False, "verify_iat": False, "verify_nbf": False}


def verify(cases):
    results = []
    for case in cases:
        try:
            jwt.decode(case["token"], case["key"], algorithms=[case["alg"]], options=NOW_OPTIONS)
            results.append(True)
        except jwt.PyJWTError:
            results.append(False)
    return results


def public_pem(private_key):
    return private_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    ).decode()


def mint():
    secret = "pyjwt-interop-secret-long-enough-for-hs256!"
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ec_key = ec.generate_private_key(ec.SECP256R1())
    p521_key = ec.generate_private_key(ec.SECP521R1())
    ed_key = ed25519.Ed25519PrivateKey.generate()
    out = [{"alg": "HS256", "token": jwt.encode(CLAIMS, secret, algorithm="HS256"), "key": secret}]
    for alg, key in [
        ("RS256", rsa_key),
        ("RS512", rsa_key),
        ("ES256", ec_key),
        ("ES512", p521_key),
        ("EdDSA", ed_key),
    ]:
        token = jwt.encode(CLAIMS, key, algorithm=alg, headers={"kid": "pyjwt-" + alg})
        out.append({"alg": alg, "token": token, "key": public_pem(key)})
    return out


if __name__ == "__main__":
    if sys.argv[1] == "verify":
        print(json.dumps(verify(json.load(sys.stdin))))
    else:
        print(json.dumps(mint()))
