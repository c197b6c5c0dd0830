import Foundation

extension AttachmentStore {
    /// What a sweep removed.
    public struct SweepReport: Sendable, Equatable {
        public var temporaryFiles = 0
        public var orphanBlobs = 0
        public var keptBlobs = 0

        /// A report with these counts.
        public init(temporaryFiles: Int = 0, orphanBlobs: Int = 0, keptBlobs: Int = 0) {
            self.temporaryFiles = temporaryFiles
            self.orphanBlobs = orphanBlobs
            self.keptBlobs = keptBlobs
        }
    }

    /// Removes upload leftovers and blobs no dossier refers to, both older than `minimumAge`: an upload in
    /// progress, or a blob written a moment before its database row commits, is younger and is left alone.
    ///
    /// `isReferenced` answers for a batch of hashes which ones the database still refers to.
    public func sweep(
        minimumAge: TimeInterval, now: Date = Date(),
        isReferenced: ([String]) async throws -> Set<String>
    ) async throws -> SweepReport {
        var report = SweepReport()
        let files = FileManager.default
        func isOld(_ path: String) -> Bool {
            guard let modified = (try? files.attributesOfItem(atPath: path))?[.modificationDate] as? Date else {
                return false
            }
            return now.timeIntervalSince(modified) >= minimumAge
        }
        for name in (try? files.contentsOfDirectory(atPath: temporaryDirectory)) ?? [] {
            let path = temporaryDirectory + "/" + name
            if isOld(path), (try? files.removeItem(atPath: path)) != nil { report.temporaryFiles += 1 }
        }
        var batch: [String] = []
        func flush() async throws {
            guard !batch.isEmpty else { return }
            let referenced = try await isReferenced(batch)
            for hash in batch {
                if referenced.contains(hash) {
                    report.keptBlobs += 1
                } else if let path = path(forSHA256: hash), isOld(path), try remove(sha256: hash) {
                    report.orphanBlobs += 1
                } else {
                    report.keptBlobs += 1
                }
            }
            batch.removeAll(keepingCapacity: true)
        }
        let blobs = root + "/sha256"
        for first in (try? files.contentsOfDirectory(atPath: blobs)) ?? [] {
            for second in (try? files.contentsOfDirectory(atPath: blobs + "/" + first)) ?? [] {
                let directory = blobs + "/" + first + "/" + second
                for name in (try? files.contentsOfDirectory(atPath: directory)) ?? [] where Self.isSHA256Hex(name) {
                    batch.append(name)
                    if batch.count >= 500 { try await flush() }
                }
            }
        }
        try await flush()
        return report
    }
}
