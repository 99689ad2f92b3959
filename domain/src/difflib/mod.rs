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
//! entry by entry after each row.

use std::collections::HashMap;

/// A matching block: `a[a..a + size] == b[b..b + size]`, as CPython's `Match(a, b, size)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Match {
    pub a: usize,
    pub b: usize,
    pub size: usize,
}

/// `SequenceMatcher(None, a, b).ratio()`: `2 * M / T`, or 1.0 when both are empty.
pub fn ratio(a: &str, b: &str) -> f64 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let total = a.len() + b.len();
    if total == 0 {
        return 1.0;
    }
    let matches: usize = matching_blocks(&a, &b).iter().map(|m| m.size).sum();
    2.0 * matches as f64 / total as f64
}

/// `SequenceMatcher(None, a, b).get_matching_blocks()`, ending with the `(len(a), len(b), 0)`
/// sentinel.
pub fn matching_blocks(a: &[char], b: &[char]) -> Vec<Match> {
    let mut matcher = Matcher::new(a, b);
    let mut queue = vec![(0, a.len(), 0, b.len())];
    let mut blocks = Vec::new();
    while let Some((alo, ahi, blo, bhi)) = queue.pop() {
        let m = matcher.find_longest_match(alo, ahi, blo, bhi);
        if m.size > 0 {
            blocks.push(m);
            if alo < m.a && blo < m.b {
                queue.push((alo, m.a, blo, m.b));
            }
            if m.a + m.size < ahi && m.b + m.size < bhi {
                queue.push((m.a + m.size, ahi, m.b + m.size, bhi));
            }
        }
    }
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

struct Matcher<'s> {
    a: &'s [char],
    b: &'s [char],
    /// For each `a[i]`: its id in the `b2j` index, or `ABSENT` (not in `b`, or popular).
    a_ids: Vec<u32>,
    /// The `i` whose `a_ids[i]` is not `ABSENT`, ascending. With autojunk most characters of a
    /// long text are popular, so scanning only these skips most of `a`.
    present: Vec<usize>,
    /// `b2j[id]` is `positions[starts[id]..starts[id + 1]]`, ascending.
    starts: Vec<usize>,
    positions: Vec<usize>,
    /// `j2len[j + 1]`: length of the match ending at `a[i - 1]`, `b[j]` (the previous row).
    j2len: Vec<usize>,
    new_j2len: Vec<usize>,
    touched: Vec<usize>,
    new_touched: Vec<usize>,
}

impl<'s> Matcher<'s> {
    /// CPython's `__chain_b`, with the autojunk purge of popular characters.
    fn new(a: &'s [char], b: &'s [char]) -> Self {
        let mut ascii = [ABSENT; 128];
        let mut other: HashMap<char, u32> = HashMap::new();
        let mut counts: Vec<usize> = Vec::new();
        let mut b_ids = Vec::with_capacity(b.len());
        for &c in b {
            let slot = match usize::try_from(u32::from(c)) {
                Ok(code) if code < 128 => &mut ascii[code],
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
        let popular: Vec<bool> = if n >= 200 {
            let ntest = n / 100 + 1;
            counts.iter().map(|&count| count > ntest).collect()
        } else {
            vec![false; counts.len()]
        };
        let mut starts = Vec::with_capacity(counts.len() + 1);
        let mut next = 0;
        for (id, &count) in counts.iter().enumerate() {
            starts.push(next);
            if !popular[id] {
                next += count;
            }
        }
        starts.push(next);
        let mut fill = starts.clone();
        let mut positions = vec![0; next];
        for (j, &id) in b_ids.iter().enumerate() {
            if !popular[id as usize] {
                positions[fill[id as usize]] = j;
                fill[id as usize] += 1;
            }
        }
        let lookup = |c: char| match usize::try_from(u32::from(c)) {
            Ok(code) if code < 128 => ascii[code],
            _ => other.get(&c).copied().unwrap_or(ABSENT),
        };
        let a_ids: Vec<u32> = a
            .iter()
            .map(|&c| match lookup(c) {
                id if id != ABSENT && !popular[id as usize] => id,
                _ => ABSENT,
            })
            .collect();
        let present: Vec<usize> = a_ids
            .iter()
            .enumerate()
            .filter(|&(_, &id)| id != ABSENT)
            .map(|(i, _)| i)
            .collect();
        Self {
            a,
            b,
            a_ids,
            present,
            starts,
            positions,
            j2len: vec![0; n + 1],
            new_j2len: vec![0; n + 1],
            touched: Vec::new(),
            new_touched: Vec::new(),
        }
    }

    /// CPython's `find_longest_match(alo, ahi, blo, bhi)`.
    fn find_longest_match(&mut self, alo: usize, ahi: usize, blo: usize, bhi: usize) -> Match {
        let (mut besti, mut bestj, mut bestsize) = (alo, blo, 0);
        // CPython walks every i in alo..ahi; a row whose character is absent from the index
        // leaves j2len empty. Walking only the present rows is the same computation as long as
        // j2len is emptied whenever a row was skipped.
        let first = self.present.partition_point(|&i| i < alo);
        let mut previous: Option<usize> = None;
        for k in first..self.present.len() {
            let i = self.present[k];
            if i >= ahi {
                break;
            }
            if previous.is_some_and(|p| p + 1 != i) {
                for &t in &self.touched {
                    self.j2len[t] = 0;
                }
                self.touched.clear();
            }
            previous = Some(i);
            let id = self.a_ids[i] as usize;
            let occurrences = &self.positions[self.starts[id]..self.starts[id + 1]];
            // CPython skips `j < blo` one by one; the positions are sorted.
            let from = occurrences.partition_point(|&j| j < blo);
            for &j in &occurrences[from..] {
                if j >= bhi {
                    break;
                }
                let k = self.j2len[j] + 1;
                self.new_j2len[j + 1] = k;
                self.new_touched.push(j + 1);
                if k > bestsize {
                    besti = i + 1 - k;
                    bestj = j + 1 - k;
                    bestsize = k;
                }
            }
            // j2len = newj2len
            for &t in &self.touched {
                self.j2len[t] = 0;
            }
            self.touched.clear();
            std::mem::swap(&mut self.j2len, &mut self.new_j2len);
            std::mem::swap(&mut self.touched, &mut self.new_touched);
        }
        for &t in &self.touched {
            self.j2len[t] = 0;
        }
        self.touched.clear();

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
