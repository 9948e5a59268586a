//! RSA key generation with the prime search spread over every core: each thread draws random
//! starting points from its own handle on the OS random generator and sieves the odd numbers
//! after each by the small primes, every survivor gets `num-bigint-dig`'s full `probably_prime`
//! test (as the `rsa` crate's own generation), the first two distinct primes win, and the key is
//! built and checked exactly as the `rsa` crate's own generation does
//! (`RsaPrivateKey::from_primes`: d from Euler's totient, then `validate` and the CRT
//! precomputation), plus the modulus size.

use crate::jose::error::CoreError;
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
/// Candidates are sieved by every odd prime below this (3 511 primes; OpenSSL uses 2 048).
const SIEVE_LIMIT: u32 = 1 << 15;
/// Odd numbers sieved after each random start (a prime gap at 2048 bits averages ~1 400).
const WINDOW: usize = 4096;

/// A new RSA key of exactly `bits` bits with e = 65537.
pub fn generate_rsa(bits: usize) -> Result<RsaPrivateKey, CoreError> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().clamp(1, 16));
    let e = BigUint::from(PUBLIC_EXPONENT);
    let sieve_primes = odd_primes_below(SIEVE_LIMIT);
    for _ in 0..MAX_ATTEMPTS {
        let (p, q) = two_primes(bits / 2, &sieve_primes, threads)?;
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
fn two_primes(
    bits: usize,
    sieve_primes: &[u32],
    threads: usize,
) -> Result<(BigUint, BigUint), CoreError> {
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<Result<BigUint, CoreError>>();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let tx = tx.clone();
            let stop = &stop;
            scope.spawn(move || {
                while let Some(found) = search_prime(bits, sieve_primes, stop) {
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
///
/// From a random odd start, the next [`WINDOW`] odd numbers are sieved by every odd prime
/// below [`SIEVE_LIMIT`] (and those ≡ 1 mod e dropped), as OpenSSL and `num-bigint-dig`'s own
/// `gen_prime` step up from a random start; only the survivors pay for `probably_prime`. A
/// window with no prime (probability ~10⁻⁵ at 1024 bits) means a new random start.
fn search_prime(
    bits: usize,
    sieve_primes: &[u32],
    stop: &AtomicBool,
) -> Option<Result<BigUint, CoreError>> {
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
    let mut survivors = Vec::with_capacity(WINDOW);
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
        sieve_window(&bytes, sieve_primes, &mut survivors);
        let mut start = BigUint::from_bytes_be(&bytes);
        for &step in &survivors {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            let mut candidate = &start + BigUint::from(2 * step);
            if candidate.bits() == bits
                && &candidate % &e != one
                && probably_prime(&candidate, MR_ROUNDS)
            {
                start.zeroize();
                bytes.zeroize();
                survivors.zeroize();
                return Some(Ok(candidate));
            }
            candidate.zeroize();
        }
        start.zeroize();
    }
}

/// The offsets `k` in `0..WINDOW` for which `start + 2k` (`start` odd, big-endian bytes) has
/// no factor among `sieve_primes` and is not ≡ 1 mod e, in increasing order, into `survivors`.
fn sieve_window(start: &[u8], sieve_primes: &[u32], survivors: &mut Vec<u32>) {
    let mut alive = vec![true; WINDOW];
    let mut strike = |modulus: u32, residue: u32, target: u32| {
        // start + 2k ≡ target (mod m)  ⇔  k ≡ (target − residue)·2⁻¹, with 2⁻¹ = (m + 1) / 2.
        let m = u64::from(modulus);
        let diff = (u64::from(target) + m - u64::from(residue)) % m;
        let mut k = usize::try_from(diff * m.div_ceil(2) % m).unwrap_or(usize::MAX);
        let stride = usize::try_from(modulus).unwrap_or(usize::MAX);
        while k < WINDOW {
            alive[k] = false;
            k = k.saturating_add(stride);
        }
    };
    for &p in sieve_primes {
        strike(p, residue(start, p), 0);
    }
    strike(PUBLIC_EXPONENT, residue(start, PUBLIC_EXPONENT), 1);
    survivors.clear();
    survivors.extend(
        (0u32..)
            .zip(&alive)
            .filter_map(|(k, &keep)| keep.then_some(k)),
    );
    alive.zeroize();
}

/// `number mod m` for a big-endian `number` and an odd modulus below 2³¹.
fn residue(number: &[u8], m: u32) -> u32 {
    let m = u64::from(m);
    let (head, words) = number.split_at(number.len() % 4);
    let mut r = head
        .iter()
        .fold(0u64, |r, &b| ((r << 8) | u64::from(b)) % m);
    for word in words.chunks_exact(4) {
        let w = word.iter().fold(0u64, |w, &b| (w << 8) | u64::from(b));
        r = ((r << 32) | w) % m;
    }
    u32::try_from(r).unwrap_or(0)
}

/// The odd primes below `limit`, by the sieve of Eratosthenes.
fn odd_primes_below(limit: u32) -> Vec<u32> {
    let n = usize::try_from(limit).unwrap_or(0);
    let mut composite = vec![false; n];
    let mut primes = Vec::new();
    for i in (3..n).step_by(2) {
        if composite[i] {
            continue;
        }
        primes.extend(u32::try_from(i).ok());
        for j in (i * i..n).step_by(2 * i) {
            composite[j] = true;
        }
    }
    primes
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
        let sieve = odd_primes_below(SIEVE_LIMIT);
        for bits in [16, 17, 64, 65, 71, 512] {
            // 65 and 71 bits: the top two bits straddle a byte boundary or not.
            let p = search_prime(bits, &sieve, &stop)
                .and_then(Result::ok)
                .unwrap_or_else(|| unreachable!("no prime"));
            assert_eq!(p.bits(), bits);
            assert!((&p >> (bits - 2)) == BigUint::from(3u32), "{bits}");
            assert!(probably_prime(&p, 20));
        }
        stop.store(true, Ordering::Relaxed);
        assert!(search_prime(512, &sieve, &stop).is_none());
    }

    #[test]
    fn odd_primes_below_a_limit() {
        assert_eq!(
            odd_primes_below(60),
            [3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59]
        );
        let sieve = odd_primes_below(SIEVE_LIMIT);
        assert_eq!(sieve.len(), 3_511);
        assert_eq!(sieve.last(), Some(&32_749));
    }

    #[test]
    fn residue_is_the_remainder_of_the_big_endian_number() {
        let bytes: Vec<u8> = (0u8..=255).map(|b| b.wrapping_mul(167) ^ 0x5a).collect();
        for len in [1, 2, 3, 4, 5, 7, 8, 9, 128, 129, 256] {
            let number = BigUint::from_bytes_be(&bytes[..len]);
            for m in [3u32, 5, 251, 32_749, 65_537, (1 << 31) - 1] {
                assert_eq!(
                    BigUint::from(residue(&bytes[..len], m)),
                    &number % m,
                    "{len} bytes mod {m}"
                );
            }
        }
    }

    #[test]
    fn the_sieve_keeps_exactly_the_numbers_without_a_small_factor_and_not_1_mod_e() {
        let sieve = odd_primes_below(SIEVE_LIMIT);
        let mut survivors = Vec::new();
        // 40-bit odd starts (so no candidate is itself a sieving prime), one ≡ 1 − 2·5 mod e.
        let starts: [u64; 3] = [0xC0_0000_0001, 0xD3_5A7E_91C3, 65_537 * 12_000_000 - 9];
        for start in starts {
            sieve_window(&start.to_be_bytes(), &sieve, &mut survivors);
            let expected: Vec<u32> = (0u32..)
                .take(WINDOW)
                .filter(|&k| {
                    let n = start + 2 * u64::from(k);
                    sieve.iter().all(|&p| n % u64::from(p) != 0) && n % 65_537 != 1
                })
                .collect();
            assert_eq!(survivors, expected, "{start:#x}");
            assert!(
                survivors.len() > 100 && survivors.len() < 1_000,
                "{start:#x}"
            );
        }
        // The last start + 2·5 ≡ 1 (mod e).
        assert!(!survivors.contains(&5));
    }
}
