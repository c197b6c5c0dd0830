-- H: the bench-mode hello-world endpoint, the framework's ceiling.
-- No response() here, nor in lookup.lua and search.lua: wrk then does not hand every answer to Lua, which keeps
-- the client light; it still counts answers of 400 and above as errors.
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
