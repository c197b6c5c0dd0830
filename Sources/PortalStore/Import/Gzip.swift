import CompressNIO
import Foundation
import NIOCore

/// Reads gzip files (the catalogue details ship as `.jsonl.gz`).
enum Gzip {
    /// The decompressed bytes; a damaged file is reported against its name.
    static func decompress(_ data: Data, fileName: String) throws(CSVError) -> Data {
        var buffer = ByteBuffer(bytes: data)
        do {
            let output = try buffer.decompress(with: .gzip)
            return Data(output.readableBytesView)
        } catch {
            throw CSVError(fileName: fileName, line: 1, reason: "not a readable gzip file")
        }
    }
}
