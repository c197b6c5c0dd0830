import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PortalStore

/// Gives every request an id and writes one log line per request: method, route pattern, status and duration.
///
/// The route pattern (`/thu-tuc/{code}`) is logged, never the concrete path or query, which can carry personal data.
struct RequestLogMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let logger: Logger

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var context = context
        context.requestID = Self.makeRequestID()
        let started = ContinuousClock.now
        do {
            var response = try await next(request, context)
            response.headers[.requestID] = context.requestID
            log(request: request, context: context, status: response.status.code, started: started)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status.code ?? 500
            log(request: request, context: context, status: status, started: started)
            throw error
        }
    }

    private func log(request: Request, context: Context, status: Int, started: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - started
        logger.info(
            "request",
            metadata: [
                "request_id": .string(context.requestID),
                "method": .string(request.method.rawValue),
                "route": .string(context.endpointPath ?? "unmatched"),
                "status": .stringConvertible(status),
                "duration_ms": .string(String(format: "%.2f", elapsed.fractionalMilliseconds)),
            ])
    }

    static func makeRequestID() -> String {
        SessionStore.randomToken()
    }
}

extension Duration {
    /// Milliseconds with their fraction, for logs.
    var fractionalMilliseconds: Double {
        Double(components.seconds) * 1000 + Double(components.attoseconds) / 1e15
    }
}

extension HTTPField.Name {
    // SAFETY: the literal is a valid header name, so the failable initialiser cannot fail.
    static let requestID = HTTPField.Name("X-Request-Id")!
}
