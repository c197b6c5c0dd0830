import Foundation
import HTTPTypes
import Hummingbird
import MultipartKit
import NIOCore
import PortalCore
import PortalStore

/// A `multipart/form-data` form with at most one file, read as it streams in: the file goes straight into the
/// attachment store (hashed as it is written), the small text fields are kept in memory.
///
/// The CSRF token must arrive as a field before the file; a file part before a valid token is refused without
/// storing a byte. The session middleware lets multipart bodies through only on upload routes, which all read
/// their body with this type.
struct MultipartUpload {
    /// The text fields, by name (first value wins).
    var fields: [String: String]
    /// The stored file, if the form carried one.
    var file: StoredAttachment?
    /// The validated name of that file.
    var fileName: AttachmentName?

    static let maximumFieldBytes = 4096
    static let maximumFields = 20

    /// Reads the request body. Throws `PortalError` for a malformed request or a CSRF failure and
    /// `AttachmentError` for a file that cannot be accepted; either way nothing is left stored.
    static func read(
        _ request: Request, csrfToken expectedToken: String, store: AttachmentStore, maximumBodyBytes: Int
    ) async throws -> MultipartUpload {
        guard let boundary = boundary(of: request.headers[.contentType] ?? "") else {
            throw PortalError(.badRequest, code: "bad_form", messageKey: "error_bad_form", field: "file")
        }
        let state = State(store: store, expectedToken: expectedToken)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in state.header(name, value) }
        parser.onBody = { buffer in state.body(&buffer) }
        parser.onPartComplete = { state.complete() }
        var total = 0
        do {
            for try await chunk in request.body {
                total += chunk.readableBytes
                if total > maximumBodyBytes { throw AttachmentError.tooLarge(limit: store.maximumFileSize) }
                try parser.execute(chunk)
                if let error = state.error { throw error }
            }
            if let error = state.error { throw error }
            guard !state.inPart else {
                throw PortalError(.badRequest, code: "bad_form", messageKey: "error_bad_form", field: "file")
            }
        } catch {
            state.abandon()
            if error is PortalError || error is AttachmentError { throw error }
            throw PortalError(.badRequest, code: "bad_form", messageKey: "error_bad_form", field: "file")
        }
        return MultipartUpload(fields: state.fields, file: state.stored, fileName: state.storedName)
    }

    /// The boundary parameter of a `multipart/form-data` content type.
    static func boundary(of contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for parameter in contentType.split(separator: ";").dropFirst() {
            let pair = parameter.split(separator: "=", maxSplits: 1).map {
                $0.trimmingCharacters(in: .whitespaces)
            }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                let value = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
                return value.isEmpty || value.count > 200 ? nil : value
            }
        }
        return nil
    }

    /// The `name` and `filename` parameters of a part's `Content-Disposition`.
    static func disposition(_ value: String) -> (name: String?, filename: String?) {
        var name: String?
        var filename: String?
        var rest = Substring(value)
        // Parameters are `; key="quoted"` or `; key=token`; a quoted value may contain `;`.
        while let semicolon = rest.firstIndex(of: ";") {
            rest = rest[rest.index(after: semicolon)...].drop { $0 == " " || $0 == "\t" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            var after = rest[rest.index(after: equals)...]
            var parsed = ""
            if after.first == "\"" {
                after = after.dropFirst()
                var escaped = false
                var end = after.endIndex
                for index in after.indices {
                    let character = after[index]
                    if escaped {
                        parsed.append(character)
                        escaped = false
                    } else if character == "\\" {
                        escaped = true
                    } else if character == "\"" {
                        end = index
                        break
                    } else {
                        parsed.append(character)
                    }
                }
                rest = end < after.endIndex ? after[after.index(after: end)...] : ""
            } else {
                let end = after.firstIndex(of: ";") ?? after.endIndex
                parsed = after[..<end].trimmingCharacters(in: .whitespaces)
                rest = after[end...]
            }
            if key == "name" { name = parsed }
            if key == "filename" { filename = parsed }
        }
        return (name, filename)
    }

    /// The parser's callbacks share this state; it lives for one request, on one task.
    final class State {
        let store: AttachmentStore
        let expectedToken: String
        var fields: [String: String] = [:]
        var headers: [String: String] = [:]
        var inPart = false
        var started = false
        var partName: String?
        var isFile = false
        var text: [UInt8] = []
        var upload: AttachmentUpload?
        var uploadName: AttachmentName?
        var stored: StoredAttachment?
        var storedName: AttachmentName?
        var error: (any Error)?

        init(store: AttachmentStore, expectedToken: String) {
            self.store = store
            self.expectedToken = expectedToken
        }

        func header(_ name: String, _ value: String) {
            inPart = true
            headers[name.lowercased()] = value
        }

        /// Decides what the part is once its headers are complete (at its first body bytes or its end).
        func start() {
            guard !started else { return }
            started = true
            inPart = true
            let (name, filename) = MultipartUpload.disposition(headers["content-disposition"] ?? "")
            partName = name
            guard error == nil, let filename else { return }
            isFile = true
            guard SessionMiddleware.constantTimeEquals(fields["csrf_token"] ?? "", expectedToken) else {
                error = PortalError(.forbidden, code: "csrf_failed", messageKey: "error_csrf", field: "csrf_token")
                return
            }
            guard stored == nil, upload == nil else {
                error = PortalError(.badRequest, code: "bad_form", messageKey: "error_bad_form", field: "file")
                return
            }
            // A browser sends an empty file part when no file was chosen.
            if filename.isEmpty {
                error = AttachmentError.emptyFile
                return
            }
            do {
                uploadName = try AttachmentName(validating: filename)
                upload = try store.begin()
            } catch {
                self.error = error
            }
        }

        func body(_ buffer: inout ByteBuffer) {
            start()
            guard error == nil else { return }
            if isFile {
                guard let upload else { return }
                do {
                    try buffer.withUnsafeReadableBytes { try upload.append($0) }
                } catch {
                    self.error = error
                }
            } else {
                guard text.count + buffer.readableBytes <= MultipartUpload.maximumFieldBytes else {
                    error = PortalError(.contentTooLarge, code: "field_too_long", messageKey: "error_bad_form")
                    return
                }
                text.append(contentsOf: buffer.readableBytesView)
            }
        }

        func complete() {
            start()
            defer {
                headers = [:]
                started = false
                inPart = false
                isFile = false
                partName = nil
                text = []
            }
            guard error == nil else { return }
            if isFile {
                guard let upload, let uploadName else { return }
                do {
                    stored = try upload.finish(name: uploadName)
                    storedName = uploadName
                    self.upload = nil
                } catch {
                    self.error = error
                }
            } else if let partName {
                guard fields.count < MultipartUpload.maximumFields else {
                    error = PortalError(.badRequest, code: "bad_form", messageKey: "error_bad_form")
                    return
                }
                if fields[partName] == nil { fields[partName] = String(decoding: text, as: UTF8.self) }
            }
        }

        /// Deletes whatever was written for this request.
        func abandon() {
            upload?.cancel()
            upload = nil
        }
    }
}

extension AttachmentError {
    /// The answer's status: 413 for a file or a dossier over its size limit, 422 for anything else about the file.
    var status: HTTPResponse.Status {
        switch self {
        case .tooLarge, .dossierTooLarge: .contentTooLarge
        default: .unprocessableContent
        }
    }
}
