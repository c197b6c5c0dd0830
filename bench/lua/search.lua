-- P2: catalogue search through GET /api/v1/procedures?q=…, with a mix of real queries.
-- Argument: a file of queries, one a line.
package.path = os.getenv("BENCH_LUA_DIR") .. "/?.lua;" .. package.path
local common = require("common")

setup = common.setup
done = common.done

function init(args)
    common.seed()
    paths = {}
    for _, query in ipairs(common.lines(args[1])) do
        paths[#paths + 1] = "/api/v1/procedures?q=" .. common.urlencode(query)
    end
end

function request()
    return wrk.format("GET", paths[math.random(#paths)])
end
