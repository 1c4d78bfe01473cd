# Run through `byline manage shell --no-imports -c "$(cat bench/hit_cost.py)"` on a site
# seeded by bench/seed_demo.py (static files collected): the CPU time of one page-cache
# hit of the reference article, the WSGI application called in this process (no server,
# no network but the database's and Redis's), views counted as on any hit.
#   N=1500          hits per round (5 rounds; the median is printed)
#   BROWSER=1       a browser's request (a CSRF cookie, Accept-Encoding: gzip); else
#                   wrk's (neither)
#   PROF=30         then a cProfile of N more hits, the 30 first lines (SORT=tottime)
# Keep N hits well within BYLINE_PAGE_CACHE_SECONDS (10 s): an expired page is a miss.
import cProfile
import io
import os
import pstats
import statistics
import time

from byline.pageviews.shared import enable_counting
from byline.wsgi import application

enable_counting()  # as each `byline serve` worker: views counted in shared memory

PATH = "/2014/12/facebook-mulled-investing-in-xiaomi/"
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120 Safari/537.36"
BROWSER = os.environ.get("BROWSER") == "1"
N = int(os.environ.get("N", "1500"))


def environ():
    env = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": PATH,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "HTTP_USER_AGENT": UA,
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.input": io.BytesIO(b""),
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    if BROWSER:
        env["HTTP_ACCEPT_ENCODING"] = "gzip, deflate, br"
        env["HTTP_COOKIE"] = "csrftoken=abcdefghijklmnopqrstuvwxyzABCDEF"
    return env


answers = []


def start_response(status, headers, exc_info=None):
    answers.append(dict(headers).get("X-Byline-Cache"))


for _ in range(3):  # a miss, then hits
    b"".join(application(environ(), start_response))
cpu, wall = [], []
for _ in range(5):
    answers.clear()
    started, started_wall = time.process_time(), time.perf_counter()
    for _ in range(N):
        b"".join(application(environ(), start_response))
    cpu.append((time.process_time() - started) / N * 1e3)
    wall.append((time.perf_counter() - started_wall) / N * 1e3)
    assert set(answers) == {"hit"}, f"not all hits: {set(answers)}"
print(
    f"{'browser' if BROWSER else 'wrk'} hits, {N} a round: CPU per hit "
    f"{statistics.median(cpu):.3f} ms (rounds: {', '.join(f'{c:.3f}' for c in cpu)}), "
    f"wall {statistics.median(wall):.3f} ms"
)
if os.environ.get("PROF"):
    profile = cProfile.Profile()
    profile.enable()
    for _ in range(N):
        b"".join(application(environ(), start_response))
    profile.disable()
    stats = pstats.Stats(profile).sort_stats(os.environ.get("SORT", "tottime"))
    stats.print_stats(int(os.environ["PROF"]))
