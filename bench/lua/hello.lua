-- H: the bench-mode hello-world endpoint, the framework's ceiling.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done

function init()
    common.seed()
    hello = wrk.format("GET", "/bench/hello")
end

function request()
    return hello
end

function response(status, headers)
    common.count_response(status, headers)
end
