extension QRCode {
    /// The symbol while it is drawn: module colours, and which modules belong to function patterns and format or
    /// version information, which codeword placement and masking must leave alone.
    struct Grid {
        let version: Int
        let size: Int
        /// Row after row; true is dark.
        var dark: [Bool]
        /// Row after row; true for function patterns and reserved information areas.
        var isFunction: [Bool]

        /// An empty, all-light grid for a version.
        init(version: Int) {
            self.version = version
            self.size = 17 + 4 * version
            self.dark = Array(repeating: false, count: size * size)
            self.isFunction = Array(repeating: false, count: size * size)
        }

        subscript(x: Int, y: Int) -> Bool {
            get { dark[y * size + x] }
            set { dark[y * size + x] = newValue }
        }

        /// Colours a module and marks it as not data.
        mutating func setFunction(x: Int, y: Int, dark isDark: Bool) {
            dark[y * size + x] = isDark
            isFunction[y * size + x] = true
        }

        /// Timing, finder and alignment patterns, the dark module, version information, and placeholder format
        /// information so that the format areas are reserved before codewords are placed (section 6.3).
        mutating func drawFunctionPatterns(correction: Level) {
            for index in 0..<size {
                setFunction(x: 6, y: index, dark: index % 2 == 0)
                setFunction(x: index, y: 6, dark: index % 2 == 0)
            }
            // Finders overwrite the ends of the timing patterns; each is drawn with its light separator.
            for (centreX, centreY) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 {
                        let x = centreX + dx
                        let y = centreY + dy
                        guard (0..<size).contains(x), (0..<size).contains(y) else { continue }
                        let ring = max(abs(dx), abs(dy))
                        setFunction(x: x, y: y, dark: ring != 2 && ring != 4)
                    }
                }
            }
            let centres = Self.alignmentPatternCentres(version: version)
            let last = centres.count - 1
            for (row, centreY) in centres.enumerated() {
                for (column, centreX) in centres.enumerated() {
                    // No alignment pattern where a finder pattern is.
                    if (row == 0 && column == 0) || (row == 0 && column == last) || (row == last && column == 0) {
                        continue
                    }
                    for dy in -2...2 {
                        for dx in -2...2 {
                            setFunction(x: centreX + dx, y: centreY + dy, dark: max(abs(dx), abs(dy)) != 1)
                        }
                    }
                }
            }
            drawFormatInformation(correction: correction, mask: 0)
            drawVersionInformation()
        }

        /// Rows and columns of alignment pattern centres (Annex E): 6, then evenly spaced (an even step) back from
        /// size − 7.
        static func alignmentPatternCentres(version: Int) -> [Int] {
            guard version >= 2 else { return [] }
            let count = version / 7 + 2
            let size = 17 + 4 * version
            // Annex E spaces version 32 by 26, which the rounding below would make 28.
            let step = version == 32 ? 26 : (version * 4 + count * 2 + 1) / (count * 2 - 2) * 2
            return [6] + (0..<(count - 1)).map { size - 7 - $0 * step }.reversed()
        }

        /// The 15 format bits (level and mask, BCH(15,5), XOR 0x5412) in both copies, and the dark module (7.9).
        mutating func drawFormatInformation(correction: Level, mask: Int) {
            let data = QRCode.formatBits(correction) << 3 | mask
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ index: Int) -> Bool { (bits >> index) & 1 == 1 }

            // Around the top-left finder: down column 8 (skipping the timing row), then left along row 8.
            for index in 0...5 { setFunction(x: 8, y: index, dark: bit(index)) }
            setFunction(x: 8, y: 7, dark: bit(6))
            setFunction(x: 8, y: 8, dark: bit(7))
            setFunction(x: 7, y: 8, dark: bit(8))
            for index in 9..<15 { setFunction(x: 14 - index, y: 8, dark: bit(index)) }
            // The second copy: row 8 under the top-right finder, column 8 beside the bottom-left one.
            for index in 0..<8 { setFunction(x: size - 1 - index, y: 8, dark: bit(index)) }
            for index in 8..<15 { setFunction(x: 8, y: size - 15 + index, dark: bit(index)) }
            setFunction(x: 8, y: size - 8, dark: true)
        }

        /// The 18 version bits (BCH(18,6)) in the two 6 × 3 blocks, from version 7 on (7.10).
        mutating func drawVersionInformation() {
            guard version >= 7 else { return }
            var remainder = version
            for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
            let bits = version << 12 | remainder
            for index in 0..<18 {
                let isDark = (bits >> index) & 1 == 1
                let long = size - 11 + index % 3
                let short = index / 3
                setFunction(x: long, y: short, dark: isDark)
                setFunction(x: short, y: long, dark: isDark)
            }
        }

        /// Places codewords most significant bit first in two-module columns zigzagging up and down from the bottom
        /// right, skipping function modules and the vertical timing column (7.7.3). Remainder bits stay light.
        mutating func place(_ codewords: [UInt8]) {
            let totalBits = codewords.count * 8
            var bitIndex = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                let upward = (right + 1) & 2 == 0
                for step in 0..<size {
                    let y = upward ? size - 1 - step : step
                    for x in [right, right - 1] where !isFunction[y * size + x] && bitIndex < totalBits {
                        self[x, y] = (codewords[bitIndex >> 3] >> (7 - UInt8(bitIndex & 7))) & 1 == 1
                        bitIndex += 1
                    }
                }
                right -= 2
            }
        }

        /// Inverts the data modules where the mask pattern's condition holds (Table 10); applying twice undoes it.
        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y * size + x] && Self.maskCondition(mask, x: x, y: y) {
                    self[x, y].toggle()
                }
            }
        }

        /// Table 10, with i the row (`y`) and j the column (`x`).
        static func maskCondition(_ mask: Int, x: Int, y: Int) -> Bool {
            switch mask {
            case 0: (x + y) % 2 == 0
            case 1: y % 2 == 0
            case 2: x % 3 == 0
            case 3: (x + y) % 3 == 0
            case 4: (x / 3 + y / 2) % 2 == 0
            case 5: x * y % 2 + x * y % 3 == 0
            case 6: (x * y % 2 + x * y % 3) % 2 == 0
            default: ((x + y) % 2 + x * y % 3) % 2 == 0
            }
        }
    }
}
