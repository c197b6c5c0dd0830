extension QRCode {
    /// Error correction codewords in each block, by level and version (ISO/IEC 18004 Table 9); index 0 is unused.
    static func errorCorrectionCodewordsPerBlock(version: Int, correction: Level) -> Int {
        switch correction {
        case .low: lowCodewordsPerBlock[version]
        case .medium: mediumCodewordsPerBlock[version]
        case .quartile: quartileCodewordsPerBlock[version]
        case .high: highCodewordsPerBlock[version]
        }
    }

    /// Error correction blocks, by level and version (ISO/IEC 18004 Table 9); index 0 is unused.
    static func blockCount(version: Int, correction: Level) -> Int {
        switch correction {
        case .low: lowBlocks[version]
        case .medium: mediumBlocks[version]
        case .quartile: quartileBlocks[version]
        case .high: highBlocks[version]
        }
    }

    /// Modules left for codewords once function patterns, format and version information are drawn; includes the
    /// remainder bits, so it need not be a multiple of 8.
    static func rawDataModuleCount(version: Int) -> Int {
        var count = (16 * version + 128) * version + 64
        if version >= 2 {
            let alignmentsPerSide = version / 7 + 2
            // Alignment patterns, less the overlap of their rows and columns with the timing patterns.
            count -= (25 * alignmentsPerSide - 10) * alignmentsPerSide - 55
            // Two 6 × 3 version information blocks.
            if version >= 7 { count -= 36 }
        }
        return count
    }

    /// Data codewords in a symbol of this version and level.
    static func dataCodewordCount(version: Int, correction: Level) -> Int {
        rawDataModuleCount(version: version) / 8
            - errorCorrectionCodewordsPerBlock(version: version, correction: correction)
            * blockCount(version: version, correction: correction)
    }

    /// The two format-information bits naming the level (Table 12): note that L is 01 and M is 00.
    static func formatBits(_ correction: Level) -> Int {
        switch correction {
        case .low: 1
        case .medium: 0
        case .quartile: 3
        case .high: 2
        }
    }

    // Table 9 of ISO/IEC 18004, one row per level, one column per version (column 0 unused).
    private static let lowCodewordsPerBlock = [
        0, 7, 10, 15, 20, 26, 18, 20, 24, 30, 18, 20, 24, 26, 30, 22, 24, 28, 30, 28, 28,
        28, 28, 30, 30, 26, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ]
    private static let mediumCodewordsPerBlock = [
        0, 10, 16, 26, 18, 24, 16, 18, 22, 22, 26, 30, 22, 22, 24, 24, 28, 28, 26, 26, 26,
        26, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28, 28,
    ]
    private static let quartileCodewordsPerBlock = [
        0, 13, 22, 18, 26, 18, 24, 18, 22, 20, 24, 28, 26, 24, 20, 30, 24, 28, 28, 26, 30,
        28, 30, 30, 30, 30, 28, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ]
    private static let highCodewordsPerBlock = [
        0, 17, 28, 22, 16, 22, 28, 26, 26, 24, 28, 24, 28, 22, 24, 24, 30, 28, 28, 26, 28,
        30, 24, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30, 30,
    ]
    private static let lowBlocks = [
        0, 1, 1, 1, 1, 1, 2, 2, 2, 2, 4, 4, 4, 4, 4, 6, 6, 6, 6, 7, 8,
        8, 9, 9, 10, 12, 12, 12, 13, 14, 15, 16, 17, 18, 19, 19, 20, 21, 22, 24, 25,
    ]
    private static let mediumBlocks = [
        0, 1, 1, 1, 2, 2, 4, 4, 4, 5, 5, 5, 8, 9, 9, 10, 10, 11, 13, 14, 16,
        17, 17, 18, 20, 21, 23, 25, 26, 28, 29, 31, 33, 35, 37, 38, 40, 43, 45, 47, 49,
    ]
    private static let quartileBlocks = [
        0, 1, 1, 2, 2, 4, 4, 6, 6, 8, 8, 8, 10, 12, 16, 12, 17, 16, 18, 21, 20,
        23, 23, 25, 27, 29, 34, 34, 35, 38, 40, 43, 45, 48, 51, 53, 56, 59, 62, 65, 68,
    ]
    private static let highBlocks = [
        0, 1, 1, 2, 4, 4, 4, 5, 6, 8, 8, 11, 11, 16, 16, 18, 16, 19, 21, 25, 25,
        25, 34, 30, 32, 35, 37, 40, 42, 45, 48, 51, 54, 57, 60, 63, 66, 70, 74, 77, 81,
    ]
}
