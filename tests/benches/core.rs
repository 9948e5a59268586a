//! criterion benchmarks of the core: decode, verify (HS256, RS256, ES256, EdDSA), keygen
//! (ES256, EdDSA, RS256 2048 / 4096), and the p256 crate's own ES256 verify as a yardstick.
//! Run with `cargo bench --bench core`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "../common/mod.rs"]
mod common;

use common::clock::NOW;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use supajwt::jose::b64::SecretEncoding;
use supajwt::jose::keys::{Key, KeyMaterial, KeySet, KeySetShape, KeygenAlg, KidChoice, generate};
use supajwt::jose::token::Jws;
use supajwt::jose::verify::{VerifyOptions, verify_token};
use supajwt::supabase::mint::{Lifetime, MintRequest, MintRole, mint};
use supajwt::supabase::roles::DOCKER_DEMO_ANON_KEY;

fn token_for(key: &Key) -> String {
    let req = MintRequest {
        role: MintRole::Anon,
        issuer: None,
        project_ref: None,
        subject: None,
        expires_in: Lifetime::Years(1),
        extra: Default::default(),
        now: NOW,
    };
    mint(&req, key, None).unwrap()
}

fn decode(c: &mut Criterion) {
    c.bench_function("decode (clean + parse + claims report)", |b| {
        b.iter(|| {
            let jws = Jws::parse_pasted_unverified(black_box(DOCKER_DEMO_ANON_KEY)).unwrap();
            supajwt::supabase::claims::claims_report(&jws, NOW)
        })
    });
}

fn verify(c: &mut Criterion) {
    let hs = KeySet::secret(
        "a-secret-that-is-long-enough-for-hs256-0123",
        SecretEncoding::Text,
    )
    .unwrap()
    .keys
    .remove(0);
    let mut group = c.benchmark_group("verify");
    for (name, key) in [
        ("HS256", hs),
        (
            "RS256",
            generate(KeygenAlg::RS256 { bits: 2048 }, KidChoice::None).unwrap(),
        ),
        (
            "ES256",
            generate(KeygenAlg::ES256, KidChoice::None).unwrap(),
        ),
        (
            "EdDSA",
            generate(KeygenAlg::EdDSA, KidChoice::None).unwrap(),
        ),
    ] {
        let token = token_for(&key);
        let jws = Jws::parse_unverified(&token).unwrap();
        let set = KeySet::single(key.public_only(), KeySetShape::SingleJwk);
        group.bench_function(name, |b| {
            b.iter(|| verify_token(black_box(&jws), &set, &VerifyOptions::default(), NOW).unwrap())
        });
    }
    group.finish();
}

/// What the machine's ECDSA P-256 itself costs, as a yardstick for `verify/ES256`: the p256
/// crate verifying the same signature directly, without supajwt or jsonwebtoken around it.
fn es256_baseline(c: &mut Criterion) {
    use p256::ecdsa::signature::Verifier;
    let key = generate(KeygenAlg::ES256, KidChoice::None).unwrap();
    let token = token_for(&key);
    let jws = Jws::parse_unverified(&token).unwrap();
    let KeyMaterial::P256 { public, .. } = &key.material else {
        unreachable!("ES256 keygen makes a P-256 key")
    };
    let verifying = p256::ecdsa::VerifyingKey::from(*public);
    let signature = p256::ecdsa::Signature::from_slice(&jws.signature).unwrap();
    let message = jws.signing_input();
    c.bench_function("verify/ES256 baseline (p256 crate alone)", |b| {
        b.iter(|| verifying.verify(black_box(&message), &signature).unwrap())
    });
}

fn keygen(c: &mut Criterion) {
    let mut group = c.benchmark_group("keygen");
    group.bench_function("ES256", |b| {
        b.iter(|| generate(KeygenAlg::ES256, KidChoice::None).unwrap())
    });
    group.bench_function("EdDSA", |b| {
        b.iter(|| generate(KeygenAlg::EdDSA, KidChoice::None).unwrap())
    });
    group.sample_size(10);
    group.bench_function("RS256 2048", |b| {
        b.iter(|| generate(KeygenAlg::RS256 { bits: 2048 }, KidChoice::None).unwrap())
    });
    group.bench_function("RS256 4096", |b| {
        b.iter(|| generate(KeygenAlg::RS256 { bits: 4096 }, KidChoice::None).unwrap())
    });
    group.finish();
}

criterion_group!(benches, decode, verify, es256_baseline, keygen);
criterion_main!(benches);
