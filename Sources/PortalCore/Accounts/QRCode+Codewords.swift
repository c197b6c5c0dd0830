extension QRCode {
    /// The final codeword sequence for `bytes`: the byte-mode bit stream padded to capacity (section 7.4), split into
    /// blocks with Reed–Solomon error correction appended (7.5), then interleaved (7.6).
    static func codewords(for bytes: [UInt8], version: Int, correction: Level) -> [UInt8] {
        let data = dataCodewords(for: bytes, version: version, correction: correction)
        let blocks = blockCount(version: version, correction: correction)
        let eccLength = errorCorrectionCodewordsPerBlock(version: version, correction: correction)
        let totalCodewords = rawDataModuleCount(version: version) / 8
        // Blocks differ by at most one data codeword; the longer ones come last.
        let shortBlocks = blocks - totalCodewords % blocks
        let shortDataLength = totalCodewords / blocks - eccLength
        let generator = reedSolomonGenerator(degree: eccLength)

        var dataBlocks: [[UInt8]] = []
        var eccBlocks: [[UInt8]] = []
        var start = 0
        for index in 0..<blocks {
            let length = shortDataLength + (index < shortBlocks ? 0 : 1)
            let block = Array(data[start..<start + length])
            start += length
            dataBlocks.append(block)
            eccBlocks.append(reedSolomonRemainder(of: block, generator: generator))
        }

        var result: [UInt8] = []
        result.reserveCapacity(totalCodewords)
        for column in 0..<(shortDataLength + 1) {
            for block in dataBlocks where column < block.count { result.append(block[column]) }
        }
        for column in 0..<eccLength {
            for block in eccBlocks { result.append(block[column]) }
        }
        return result
    }

    /// Mode indicator, character count, the bytes, terminator, zero bits to a byte boundary, then the pad codewords
    /// 0xEC 0x11 alternately. The zero bits are added only when the stream is not already on a boundary.
    static func dataCodewords(for bytes: [UInt8], version: Int, correction: Level) -> [UInt8] {
        let capacityBits = dataCodewordCount(version: version, correction: correction) * 8
        var stream = BitStream()
        stream.append(0b0100, bits: 4)
        stream.append(bytes.count, bits: characterCountBits(version))
        for byte in bytes { stream.append(Int(byte), bits: 8) }
        stream.append(0, bits: min(4, capacityBits - stream.count))
        stream.append(0, bits: (8 - stream.count % 8) % 8)
        var codewords = stream.bytes
        var pad: UInt8 = 0xEC
        while codewords.count * 8 < capacityBits {
            codewords.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return codewords
    }

    /// The generator polynomial of the given degree, (x − α⁰)(x − α¹)…, as coefficients from the highest power down,
    /// the leading 1 left out.
    static func reedSolomonGenerator(degree: Int) -> [UInt8] {
        var coefficients = [UInt8](repeating: 0, count: degree)
        coefficients[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for index in 0..<degree {
                coefficients[index] = galoisMultiply(coefficients[index], root)
                if index + 1 < degree { coefficients[index] ^= coefficients[index + 1] }
            }
            root = galoisMultiply(root, 0x02)
        }
        return coefficients
    }

    /// The remainder of data × x^degree divided by the generator: the error correction codewords.
    static func reedSolomonRemainder(of data: [UInt8], generator: [UInt8]) -> [UInt8] {
        var remainder = [UInt8](repeating: 0, count: generator.count)
        for byte in data {
            let factor = byte ^ remainder[0]
            remainder.removeFirst()
            remainder.append(0)
            for index in generator.indices { remainder[index] ^= galoisMultiply(generator[index], factor) }
        }
        return remainder
    }

    /// Multiplication in GF(2⁸) modulo x⁸ + x⁴ + x³ + x² + 1 (0x11D), the field of section 7.5.2.
    static func galoisMultiply(_ lhs: UInt8, _ rhs: UInt8) -> UInt8 {
        var product = 0
        for bit in (0..<8).reversed() {
            product = (product << 1) ^ ((product >> 7) * 0x11D)
            product ^= ((Int(rhs) >> bit) & 1) * Int(lhs)
        }
        return UInt8(product)
    }

    /// Bits appended most significant first and read back as bytes; the last byte is zero-filled.
    struct BitStream {
        private(set) var bytes: [UInt8] = []
        private(set) var count = 0

        /// Appends the low `bits` bits of `value`.
        mutating func append(_ value: Int, bits: Int) {
            for shift in stride(from: bits - 1, through: 0, by: -1) {
                if count % 8 == 0 { bytes.append(0) }
                if (value >> shift) & 1 == 1 { bytes[bytes.count - 1] |= 0x80 >> UInt8(count % 8) }
                count += 1
            }
        }
    }
}
