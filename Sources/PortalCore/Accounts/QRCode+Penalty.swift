extension QRCode.Grid {
    /// The mask with the lowest penalty, the first on a tie. Each candidate is scored with its own format
    /// information drawn, because that is what a reader sees.
    mutating func bestMask(correction: QRCode.Level) -> Int {
        var best = 0
        var bestScore = Int.max
        for mask in 0..<8 {
            applyMask(mask)
            drawFormatInformation(correction: correction, mask: mask)
            let score = penalty()
            if score < bestScore {
                best = mask
                bestScore = score
            }
            applyMask(mask)
        }
        return best
    }

    /// The penalty score of section 7.8.3 (N1 = 3, N2 = 3, N3 = 40, N4 = 10).
    ///
    /// The standard leaves three things open; they are read here as Project Nayuki's reference encoder reads them,
    /// so that mask choices agree with it: the area outside the symbol counts as light (it is the quiet zone); a
    /// finder-like pattern may be scaled (n:n:3n:n:n) and needs 4n light modules on one side, counting once per side
    /// that has them; and the balance step k is the smallest with (45 − 5k)% ≤ dark ≤ (55 + 5k)%.
    func penalty() -> Int {
        var score = 0
        for index in 0..<size {
            score += linePenalty((0..<size).map { dark[index * size + $0] })
            score += linePenalty((0..<size).map { dark[$0 * size + index] })
        }
        for y in 0..<(size - 1) {
            for x in 0..<(size - 1) {
                let colour = self[x, y]
                if self[x + 1, y] == colour, self[x, y + 1] == colour, self[x + 1, y + 1] == colour { score += 3 }
            }
        }
        let darkCount = dark.count { $0 }
        let total = size * size
        // size is odd, so the proportion is never exactly one half and k is at least 0.
        let k = (abs(darkCount * 20 - total * 10) + total - 1) / total - 1
        score += 10 * k
        return score
    }

    /// N1 and N3 for one row or column.
    private func linePenalty(_ line: [Bool]) -> Int {
        var score = 0
        // Runs as (colour, length), bordered by `size` light modules on both sides for the finder-like rule.
        var runs: [(dark: Bool, length: Int)] = [(false, size)]
        for module in line {
            if runs[runs.count - 1].dark == module {
                runs[runs.count - 1].length += 1
            } else {
                runs.append((module, 1))
            }
        }
        if runs[runs.count - 1].dark {
            runs.append((false, size))
        } else {
            runs[runs.count - 1].length += size
        }

        for (index, run) in runs.enumerated() {
            // Only the border runs are longer than the line itself; trim them back for N1.
            let length = index == 0 || index == runs.count - 1 ? run.length - size : run.length
            if length >= 5 { score += 3 + (length - 5) }
        }

        // Runs alternate in colour and start light, so dark runs sit at odd indices.
        for start in stride(from: 1, to: runs.count - 5, by: 2) {
            let n = runs[start].length
            guard runs[start + 1].length == n, runs[start + 2].length == 3 * n, runs[start + 3].length == n,
                runs[start + 4].length == n
            else { continue }
            let before = runs[start - 1].length
            let after = runs[start + 5].length
            if before >= 4 * n, after >= n { score += 40 }
            if after >= 4 * n, before >= n { score += 40 }
        }
        return score
    }
}
