//! Python's `difflib.SequenceMatcher(None, a, b).ratio()` on code points (README rule 5).
//!
//! A line-for-line port of CPython's `Lib/difflib.py` (`__chain_b`, `find_longest_match`,
//! `get_matching_blocks`, `ratio`) with `isjunk=None` and `autojunk=True`, so the reliability
//! score matches the reference exactly, including its quirks: when `b` has 200 or more
//! characters, those occurring more than `len(b) // 100 + 1` times are "popular" and left out of
//! the index, and a match found without them is then extended over equal characters on both
//! sides. With no junk function the junk set is empty, so CPython's two junk-extension loops
//! never run and are omitted.
//!
//! The dicts become flat vectors for speed: characters of `b` get dense ids, `b2j` is one
//! position array sliced per id, and `j2len` is a vector indexed by `j + 1` that is cleared
//! entry by entry after each row. The vectors live in a per-thread scratch space reused by
//! every comparison, and ASCII text is compared byte by byte.
//!
//! Hand-written on purpose: the reliability score must be the reference's to the last digit, so
//! this follows CPython line for line and is checked against it at test time.

use std::collections::HashMap;
use std::hash::Hash;

/// A matching block: `a[a..a + size] == b[b..b + size]`, as CPython's `Match(a, b, size)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub a: usize,
    pub b: usize,
    pub size: usize,
}

/// `SequenceMatcher(None, a, b).ratio()`: `2 * M / T`, or 1.0 when both are empty.
pub fn ratio(a: &str, b: &str) -> f64 {
    SCRATCH.with_borrow_mut(|scratch| {
        // ASCII text has one code point per byte: compare the bytes and skip decoding.
        if a.is_ascii() && b.is_ascii() {
            return ratio_of(a.as_bytes(), b.as_bytes(), scratch);
        }
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        ratio_of(&a, &b, scratch)
    })
}

fn ratio_of<T: Symbol>(a: &[T], b: &[T], scratch: &mut Scratch) -> f64 {
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    // M is the sum of the block sizes, the same before and after CPython merges adjacent ones.
    let mut matches = 0;
    Matcher::new(a, b, scratch).for_each_block(|m| matches += m.size);
    2.0 * matches as f64 / total as f64
}

/// An element of a compared sequence: a code point, or a byte of ASCII text.
pub trait Symbol: Copy + Eq + Hash + Into<u32> {}
impl Symbol for char {}
impl Symbol for u8 {}

/// `SequenceMatcher(None, a, b).get_matching_blocks()`, ending with the `(len(a), len(b), 0)`
/// sentinel.
pub fn matching_blocks<T: Symbol>(a: &[T], b: &[T]) -> Vec<Match> {
    let mut blocks = Vec::new();
    SCRATCH.with_borrow_mut(|scratch| {
        Matcher::new(a, b, scratch).for_each_block(|m| blocks.push(m));
    });
    blocks.sort_unstable();
    // Collapse adjacent blocks, as CPython does.
    let mut merged = Vec::with_capacity(blocks.len() + 1);
    let mut current = Match {
        a: 0,
        b: 0,
        size: 0,
    };
    for block in blocks {
        if current.a + current.size == block.a && current.b + current.size == block.b {
            current.size += block.size;
        } else {
            if current.size > 0 {
                merged.push(current);
            }
            current = block;
        }
    }
    if current.size > 0 {
        merged.push(current);
    }
    merged.push(Match {
        a: a.len(),
        b: b.len(),
        size: 0,
    });
    merged
}

const ABSENT: u32 = u32::MAX;

std::thread_local! {
    /// Buffers reused from one comparison to the next on a thread: judging compares thousands
    /// of short texts, and allocating these each time cost more than the comparison.
    static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::default();
}

#[derive(Default)]
struct Scratch {
    counts: Vec<usize>,
    b_ids: Vec<u32>,
    /// Per id: kept in the index (not popular).
    kept: Vec<bool>,
    kept_id: Vec<u32>,
    /// For each `a[i]`: its id in the `b2j` index, or `ABSENT` (not in `b`, or popular).
    a_ids: Vec<u32>,
    /// The `i` whose `a_ids[i]` is not `ABSENT`, ascending. With autojunk most characters of a
    /// long text are popular, so scanning only these skips most of `a`.
    present: Vec<usize>,
    /// `b2j[id]` is `positions[starts[id]..starts[id + 1]]`, ascending.
    starts: Vec<usize>,
    fill: Vec<usize>,
    positions: Vec<usize>,
    /// `j2len[j + 1]`: length of the match ending at `a[i - 1]`, `b[j]` (the previous row).
    /// All zero between uses.
    j2len: Vec<usize>,
    new_j2len: Vec<usize>,
    touched: Vec<usize>,
    new_touched: Vec<usize>,
    queue: Vec<(usize, usize, usize, usize)>,
}

struct Matcher<'s, T> {
    a: &'s [T],
    b: &'s [T],
    s: &'s mut Scratch,
}

impl<'s, T: Symbol> Matcher<'s, T> {
    /// CPython's `__chain_b`, with the autojunk purge of popular characters.
    fn new(a: &'s [T], b: &'s [T], s: &'s mut Scratch) -> Self {
        // Each buffer is borrowed on its own so the loops keep their pointers in registers.
        let Scratch {
            counts,
            b_ids,
            kept,
            kept_id,
            a_ids,
            present,
            starts,
            fill,
            positions,
            j2len,
            new_j2len,
            touched,
            new_touched,
            queue: _,
        } = &mut *s;
        let mut latin1 = [ABSENT; 256];
        let mut other: HashMap<T, u32> = HashMap::new();
        counts.clear();
        b_ids.clear();
        for &c in b {
            let code = c.into() as usize;
            let slot = match code {
                0..256 => &mut latin1[code],
                _ => other.entry(c).or_insert(ABSENT),
            };
            if *slot == ABSENT {
                *slot = counts.len() as u32;
                counts.push(0);
            }
            counts[*slot as usize] += 1;
            b_ids.push(*slot);
        }
        let n = b.len();
        let ids = counts.len();
        let ntest = n / 100 + 1;
        kept.clear();
        kept.extend(counts.iter().map(|&count| !(n >= 200 && count > ntest)));
        // `b2j`: positions of each kept id, ascending. A popular character's positions go to
        // a trash slot past the end instead of a branch per character.
        starts.clear();
        let mut next = 0;
        for (&count, &keep) in counts.iter().zip(kept.iter()) {
            starts.push(next);
            next += count * usize::from(keep);
        }
        starts.push(next);
        fill.clear();
        fill.extend(
            starts[..ids]
                .iter()
                .zip(kept.iter())
                .map(|(&start, &keep)| if keep { start } else { next }),
        );
        positions.clear();
        positions.resize(next + 1, 0);
        {
            let (positions, fill, kept) = (&mut positions[..], &mut fill[..], &kept[..]);
            for (j, &id) in b_ids.iter().enumerate() {
                let id = id as usize;
                let at = fill[id];
                positions[at] = j;
                fill[id] = at + usize::from(kept[id]);
            }
        }
        positions.truncate(next);
        // id (ABSENT clamped to `ids`) → the id when kept, else ABSENT.
        kept_id.clear();
        kept_id.extend(
            kept.iter()
                .enumerate()
                .map(|(id, &keep)| if keep { id as u32 } else { ABSENT }),
        );
        kept_id.push(ABSENT);
        // a's ids, and the rows that have one, in one pass (`present` compacted by length).
        a_ids.clear();
        a_ids.resize(a.len(), ABSENT);
        present.clear();
        present.resize(a.len(), 0);
        let mut len = 0;
        {
            let (a_ids, present, kept_id) = (&mut a_ids[..], &mut present[..], &kept_id[..]);
            for (i, &c) in a.iter().enumerate() {
                let id = match c.into() as usize {
                    code @ 0..256 => latin1[code],
                    _ => other.get(&c).copied().unwrap_or(ABSENT),
                };
                let id = kept_id[(id as usize).min(ids)];
                a_ids[i] = id;
                present[len] = i;
                len += usize::from(id != ABSENT);
            }
        }
        present.truncate(len);
        // Only grows; entries are zero between uses, even after a use that unwound.
        for &t in touched.iter() {
            j2len[t] = 0;
        }
        for &t in new_touched.iter() {
            new_j2len[t] = 0;
        }
        touched.clear();
        new_touched.clear();
        if j2len.len() < n + 1 {
            j2len.resize(n + 1, 0);
            new_j2len.resize(n + 1, 0);
        }
        Self { a, b, s }
    }

    /// CPython's `get_matching_blocks` queue, unsorted and unmerged.
    fn for_each_block(mut self, mut found: impl FnMut(Match)) {
        let mut queue = std::mem::take(&mut self.s.queue);
        queue.clear();
        queue.push((0, self.a.len(), 0, self.b.len()));
        while let Some((alo, ahi, blo, bhi)) = queue.pop() {
            let m = self.find_longest_match(alo, ahi, blo, bhi);
            if m.size > 0 {
                found(m);
                if alo < m.a && blo < m.b {
                    queue.push((alo, m.a, blo, m.b));
                }
                if m.a + m.size < ahi && m.b + m.size < bhi {
                    queue.push((m.a + m.size, ahi, m.b + m.size, bhi));
                }
            }
        }
        self.s.queue = queue;
    }

    /// CPython's `find_longest_match(alo, ahi, blo, bhi)`.
    fn find_longest_match(&mut self, alo: usize, ahi: usize, blo: usize, bhi: usize) -> Match {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0);
        let Scratch {
            a_ids,
            present,
            starts,
            positions,
            j2len,
            new_j2len,
            touched,
            new_touched,
            ..
        } = &mut *self.s;
        let (a_ids, starts, positions) = (&a_ids[..], &starts[..], &positions[..]);
        // CPython walks every i in alo..ahi; a row whose character is absent from the index
        // leaves j2len empty. Walking only the present rows is the same computation as long as
        // j2len is emptied whenever a row was skipped.
        let first = present.partition_point(|&i| i < alo);
        let mut previous: Option<usize> = None;
        for &i in &present[first..] {
            if i >= ahi {
                break;
            }
            if previous.is_some_and(|p| p + 1 != i) {
                for &t in touched.iter() {
                    j2len[t] = 0;
                }
                touched.clear();
            }
            previous = Some(i);
            let id = a_ids[i] as usize;
            let occurrences = &positions[starts[id]..starts[id + 1]];
            // CPython skips `j < blo` one by one, and so do we: the lists are short (with
            // autojunk a kept character occurs at most `len(b) // 100 + 1` times).
            for &j in occurrences {
                if j < blo {
                    continue;
                }
                if j >= bhi {
                    break;
                }
                let k = j2len[j] + 1;
                new_j2len[j + 1] = k;
                new_touched.push(j + 1);
                if k > bestsize {
                    besti = i + 1 - k;
                    bestj = j + 1 - k;
                    bestsize = k;
                }
            }
            // j2len = newj2len
            for &t in touched.iter() {
                j2len[t] = 0;
            }
            touched.clear();
            std::mem::swap(j2len, new_j2len);
            std::mem::swap(touched, new_touched);
        }
        for &t in touched.iter() {
            j2len[t] = 0;
        }
        touched.clear();

        // Extend over equal characters on each side: popular characters are not junk.
        let (a, b) = (self.a, self.b);
        while besti > alo && bestj > blo && a[besti - 1] == b[bestj - 1] {
            besti -= 1;
            bestj -= 1;
            bestsize += 1;
        }
        while besti + bestsize < ahi
            && bestj + bestsize < bhi
            && a[besti + bestsize] == b[bestj + bestsize]
        {
            bestsize += 1;
        }
        Match {
            a: besti,
            b: bestj,
            size: bestsize,
        }
    }
}

#[cfg(test)]
mod tests;
