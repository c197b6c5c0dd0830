import Hummingbird
import Logging
import PortalStore
import ServiceLifecycle

/// Counts page views: successful GETs answered with an HTML page (not assets, JSON or probes).
struct HitCountingMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let hits: HitCounter

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let response = try await next(request, context)
        if request.method == .get, response.status == .ok,
            response.headers[.contentType]?.hasPrefix("text/html") == true
        {
            hits.record()
        }
        return response
    }
}

/// Writes the counted page views to the database every few seconds, and once more at shutdown.
struct HitFlushService: Service {
    let hits: HitCounter
    let database: Database
    let interval: Duration
    let logger: Logger

    /// Flushes every `interval` until shutdown, then once more; the server stops before this service does, so
    /// the views of the last requests are written too.
    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            await flushNow()
        }
    }

    private func flushNow() async {
        do {
            try await hits.flush(to: database)
        } catch {
            logger.warning("page views not written yet", metadata: ["error": "\(type(of: error))"])
        }
    }
}
