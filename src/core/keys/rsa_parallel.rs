//! RSA key generation with the prime search spread over every core: each thread draws its
//! candidates from its own handle on the OS random generator, the first two distinct primes
//! win, and the key is built and checked exactly as the `rsa` crate's own generation does
//! (`RsaPrivateKey::from_primes`: d from Euler's totient, then `validate` and the CRT
//! precomputation), plus the modulus size.

use crate::core::error::CoreError;
use num_bigint_dig::prime::probably_prime;
use rand_core::{OsRng, RngCore};
use rsa::traits::PublicKeyParts;
use rsa::{BigUint, RsaPrivateKey};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use zeroize::Zeroize;

/// The public exponent, as everywhere (F4).
const PUBLIC_EXPONENT: u32 = 65_537;
/// Miller–Rabin rounds, as `num-bigint-dig`'s `gen_prime` (plus its Baillie–PSW Lucas test).
const MR_ROUNDS: usize = 20;
/// Prime pairs tried before giving up (a pair is refused with probability ~2^-1000).
const MAX_ATTEMPTS: usize = 16;

/// A new RSA key of exactly `bits` bits with e = 65537.
pub fn generate_rsa(bits: usize) -> Result<RsaPrivateKey, CoreError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 16));
    let e = BigUint::from(PUBLIC_EXPONENT);
    for _ in 0..MAX_ATTEMPTS {
        let (p, q) = two_primes(bits / 2, threads)?;
        let Ok(key) = RsaPrivateKey::from_primes(vec![p, q], e.clone()) else {
            continue;
        };
        if key.n().bits() == bits {
            return Ok(key);
        }
    }
    Err(CoreError::Backend(format!(
        "RSA key generation failed: no valid {bits}-bit key after {MAX_ATTEMPTS} attempts"
    )))
}

/// Two distinct random primes of exactly `bits` bits, searched on `threads` threads.
fn two_primes(bits: usize, threads: usize) -> Result<(BigUint, BigUint), CoreError> {
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<Result<BigUint, CoreError>>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let stop = &stop;
            scope.spawn(move || {
                while let Some(found) = search_prime(bits, stop) {
                    let failed = found.is_err();
                    if tx.send(found).is_err() || failed {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut primes: Vec<BigUint> = Vec::with_capacity(2);
        let outcome = loop {
            match rx.recv() {
                Ok(Ok(mut p)) => {
                    if primes.contains(&p) {
                        p.zeroize();
                    } else {
                        primes.push(p);
                    }
                    if primes.len() == 2 {
                        break Ok(());
                    }
                }
                Ok(Err(e)) => break Err(e),
                Err(_) => {
                    break Err(CoreError::Backend(
                        "RSA key generation failed: the prime search stopped".into(),
                    ));
                }
            }
        };
        stop.store(true, Ordering::Relaxed);
        // Primes found after the first two are wiped, not used.
        for mut extra in rx.iter().flatten() {
            extra.zeroize();
        }
        outcome?;
        let q = primes.pop();
        let p = primes.pop();
        match (p, q) {
            (Some(p), Some(q)) => Ok((p, q)),
            _ => Err(CoreError::Backend("RSA key generation failed".into())),
        }
    })
}

/// One prime of exactly `bits` bits (top two bits set, so a product of two has exactly twice
/// as many), with p − 1 coprime to e; `None` once `stop` is set.
fn search_prime(bits: usize, stop: &AtomicBool) -> Option<Result<BigUint, CoreError>> {
    if bits < 16 {
        return Some(Err(CoreError::Backend(format!(
            "RSA primes of {bits} bits are too small"
        ))));
    }
    let len = bits.div_ceil(8);
    let top = bits - 8 * (len - 1); // bits used in the first byte, 1..=8
    let mut bytes = vec![0u8; len];
    let e = BigUint::from(PUBLIC_EXPONENT);
    let one = BigUint::from(1u32);
    loop {
        if stop.load(Ordering::Relaxed) {
            bytes.zeroize();
            return None;
        }
        if let Err(err) = OsRng.try_fill_bytes(&mut bytes) {
            return Some(Err(CoreError::Backend(format!(
                "the OS random generator failed: {err}"
            ))));
        }
        bytes[0] &= u8::MAX >> (8 - top);
        if top >= 2 {
            bytes[0] |= 0b11 << (top - 2);
        } else {
            bytes[0] |= 1;
            bytes[1] |= 0x80;
        }
        bytes[len - 1] |= 1;
        let mut candidate = BigUint::from_bytes_be(&bytes);
        if &candidate % &e != one && probably_prime(&candidate, MR_ROUNDS) {
            bytes.zeroize();
            return Some(Ok(candidate));
        }
        candidate.zeroize();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rsa::traits::PrivateKeyParts;

    #[test]
    fn keys_have_the_exact_size_e_65537_and_validate() {
        for bits in [2048, 3072] {
            let key = generate_rsa(bits).unwrap_or_else(|e| unreachable!("{e}"));
            assert_eq!(key.n().bits(), bits);
            assert_eq!(key.e(), &BigUint::from(65_537u32));
            assert!(key.validate().is_ok());
            let primes = key.primes();
            assert_eq!(primes.len(), 2);
            assert_ne!(primes[0], primes[1]);
            assert!(primes.iter().all(|p| p.bits() == bits / 2));
        }
    }

    #[test]
    fn two_keys_differ() {
        let a = generate_rsa(2048).unwrap_or_else(|e| unreachable!("{e}"));
        let b = generate_rsa(2048).unwrap_or_else(|e| unreachable!("{e}"));
        assert_ne!(a.n(), b.n());
    }

    #[test]
    fn primes_have_the_top_two_bits_set_and_are_prime() {
        let stop = AtomicBool::new(false);
        for bits in [64, 65, 71, 512] {
            // 65 and 71 bits: the top two bits straddle a byte boundary or not.
            let p = search_prime(bits, &stop)
                .and_then(Result::ok)
                .unwrap_or_else(|| unreachable!("no prime"));
            assert_eq!(p.bits(), bits);
            assert!((&p >> (bits - 2)) == BigUint::from(3u32), "{bits}");
            assert!(probably_prime(&p, 20));
        }
        stop.store(true, Ordering::Relaxed);
        assert!(search_prime(512, &stop).is_none());
    }
}
