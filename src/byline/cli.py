"""The `byline` command: demo, serve, and every Django management command."""

import argparse
import os
import sys

import django


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    django.setup()


def _pending_migrations() -> list[str]:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [f"{migration.app_label}.{migration.name}" for migration, _ in plan]


def _static_is_stale() -> bool:
    """Collect static files only when a source file is new, or newer than the manifest."""
    import json

    from django.conf import settings
    from django.contrib.staticfiles.finders import get_finders

    manifest = settings.STATIC_ROOT / "staticfiles.json"
    try:
        collected = json.loads(manifest.read_text())["paths"]
    except (FileNotFoundError, ValueError, KeyError):
        return True
    collected_at = manifest.stat().st_mtime
    return any(
        path not in collected or os.path.getmtime(storage.path(path)) > collected_at
        for finder in get_finders()
        for path, storage in finder.list([])
    )


def _system_checks() -> None:
    """Django's system checks (the settings', the apps'): warnings are printed, an error
    stops the server before it starts, each named with its id and hint."""
    from django.core import checks

    messages = checks.run_checks()
    for message in messages:
        print(f"byline: {message}", file=sys.stderr)
    if any(message.is_serious() for message in messages):
        sys.exit("byline: not serving until the errors above are fixed.")


def _prepare_to_serve() -> None:
    from django.core.management import call_command
    from django.db import connections

    _system_checks()
    if pending := _pending_migrations():
        sys.exit(
            f"byline: the database needs {len(pending)} migration(s) ({pending[0]}, …).\n"
            "Run `byline manage migrate` first (once, from one machine)."
        )
    if _static_is_stale():
        call_command("collectstatic", interactive=False, verbosity=0)
    connections.close_all()  # never share a connection with the forked workers


def _in_a_child(function) -> None:
    """Run `function` in a forked child process and wait for it; exit as it did if it
    failed. The server's master forks its workers: whatever it loaded or allocated for a
    check (Django's migration graph, the static files' list: 40 MB and more) would be
    copied into every worker's resident memory."""
    if not hasattr(os, "fork"):
        function()
        return
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:
        code = 0
        try:
            function()
        except SystemExit as error:
            if isinstance(error.code, str):
                print(error.code, file=sys.stderr)
                code = 1
            else:
                code = error.code or 0
        except BaseException:
            import traceback

            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
        os._exit(code)
    _, status = os.waitpid(pid, 0)
    if code := os.waitstatus_to_exitcode(status):
        sys.exit(code)


def _setup_and_prepare() -> None:
    _setup()
    _prepare_to_serve()


def cmd_serve(args: argparse.Namespace) -> None:
    from byline import server

    # The master needs no Django of its own: granian's workers import byline.wsgi after
    # the fork (gunicorn's master preloads it, as before).
    _in_a_child(_setup_and_prepare)
    print(
        f"Byline serving on http://{args.host}:{args.port}/ "
        f"({server.server_name()}, {args.workers} workers)"
    )
    server.run(host=args.host, port=args.port, workers=args.workers)


def cmd_demo(args: argparse.Namespace) -> None:
    from django.conf import settings
    from django.core.management import call_command

    _setup()
    print(f"Data folder: {settings.DATA_DIR}")
    call_command("migrate", interactive=False, verbosity=0)
    from byline.demo import EDITOR_USERNAME, seed_demo

    seed = seed_demo()
    base = f"http://{args.host}:{args.port}"
    print(f"Article: {base}{seed.article.get_absolute_url()}")
    print(f"Admin:   {base}/admin/  (user: {EDITOR_USERNAME})")
    if seed.editor_password:
        print(f"Editor password (shown only this once): {seed.editor_password}")
    else:
        print(f"To set a new editor password: byline manage changepassword {EDITOR_USERNAME}")
    sys.stdout.flush()
    _prepare_to_serve()
    from byline import server

    server.run(host=args.host, port=args.port, workers=args.workers)


def cmd_worker(args: argparse.Namespace) -> None:
    import logging

    from byline import worker

    _setup()
    if pending := _pending_migrations():
        sys.exit(
            f"byline: the database needs {len(pending)} migration(s); run `byline manage migrate`."
        )
    if args.verbose:
        logging.getLogger("byline").setLevel(logging.INFO)
    if args.once:
        worker.run_once()
    else:
        worker.serve_forever(step_delay=args.step_delay)


def cmd_stats(args: argparse.Namespace) -> None:
    from django.core.management import CommandError, call_command

    _setup()
    try:
        call_command("stats", period=args.period, top=args.top)
    except CommandError as error:
        sys.exit(f"byline stats: {error}")


def cmd_bench_data(args: argparse.Namespace) -> None:
    """`byline bench-data`: a large generated site, for the scaling benchmarks."""
    for name in ("articles", "comments", "days"):
        if getattr(args, name) < 0:
            sys.exit(f"byline bench-data: --{name} cannot be negative ({getattr(args, name)}).")
    if args.days < 1:
        sys.exit("byline bench-data: --days must be at least 1.")
    if args.comments and not args.articles:
        sys.exit("byline bench-data: comments need articles to go on; give --articles too.")
    if args.batch < 1:
        sys.exit("byline bench-data: --batch must be at least 1.")
    _setup()
    if pending := _pending_migrations():
        sys.exit(
            f"byline: the database needs {len(pending)} migration(s); run `byline manage migrate`."
        )
    from django.db import connection

    from byline.benchdata import bench_data_fill

    print(
        f"bench-data: adding {args.articles:,} articles and {args.comments:,} comments over "
        f"{args.days} days to the {connection.vendor} database {connection.settings_dict['NAME']}",
        flush=True,
    )
    result = bench_data_fill(
        articles=args.articles,
        comments=args.comments,
        days=args.days,
        seed=args.seed,
        batch_size=args.batch,
        progress=lambda line: print(line, flush=True),
    )
    print(
        f"bench-data: done: {result.articles:,} articles and {result.comments:,} comments "
        f"in {result.seconds:.1f} s",
        flush=True,
    )


def cmd_manage(args: argparse.Namespace) -> None:
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    execute_from_command_line(["byline manage", *args.arguments])


def cmd_command(args: argparse.Namespace) -> None:
    """`byline spam …` and `byline comments …`: the management commands of those names."""
    from django.core.management import execute_from_command_line

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "byline.settings")
    execute_from_command_line([f"byline {args.command}", args.command, *args.arguments])


def cmd_wordpress(args: argparse.Namespace) -> None:
    """`byline import-wxr …` / `byline export-wxr …`: the importers' management commands."""
    from django.core.management import load_command_class

    _setup()
    command = load_command_class("byline.importers", args.command.replace("-", "_"))
    command.run_from_argv(["byline", args.command, *args.arguments])


def build_parser() -> argparse.ArgumentParser:
    from byline.server import default_workers

    parser = argparse.ArgumentParser(
        prog="byline", description="Byline, a publishing platform for tech-news sites."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    def add_server_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--host", default="127.0.0.1", help="address to listen on")
        command.add_argument("--port", type=int, default=8000, help="port to listen on")
        command.add_argument(
            "--workers", type=int, default=default_workers(), help="server processes"
        )

    demo = commands.add_parser("demo", help="set up the demo site and serve it")
    add_server_options(demo)
    demo.set_defaults(handler=cmd_demo)

    serve = commands.add_parser("serve", help="serve the site with the production server")
    add_server_options(serve)
    serve.set_defaults(handler=cmd_serve)

    worker = commands.add_parser(
        "worker",
        help="run the background jobs: queued tasks (notification emails, clean-up) and, "
        "with Redis, moving buffered view counts to the database",
    )
    worker.add_argument(
        "--once", "--batch", action="store_true", help="run each job to the end once, then exit"
    )
    worker.add_argument("--verbose", action="store_true", help="log each step of each job")
    worker.add_argument(
        "--step-delay",
        type=float,
        default=0,
        help=argparse.SUPPRESS,  # for crash tests
    )
    worker.set_defaults(handler=cmd_worker)

    stats = commands.add_parser(
        "stats", help="print the most viewed articles and the totals for a period"
    )
    stats.add_argument("--period", default="7d", help="24h, 7d, 30d, 90d, 365d or all")
    stats.add_argument("--top", type=int, default=10, help="how many articles to list")
    stats.set_defaults(handler=cmd_stats)

    for name, text in (
        ("spam", "the learning spam filter: train FILE.csv, status, reset"),
        ("comments", "commenters' data: export EMAIL, erase EMAIL; clean-up"),
    ):
        command = commands.add_parser(name, help=text, add_help=False)
        command.add_argument("arguments", nargs=argparse.REMAINDER)
        command.set_defaults(handler=cmd_command)

    bench = commands.add_parser(
        "bench-data",
        help="add generated published articles, comments and views (for benchmarks)",
    )
    bench.add_argument("--articles", type=int, required=True, help="articles to add")
    bench.add_argument("--comments", type=int, default=0, help="approved comments to add")
    bench.add_argument("--days", type=int, default=365, help="spread over the last D days")
    bench.add_argument("--seed", type=int, default=None, help="random seed (same data)")
    bench.add_argument("--batch", type=int, default=2000, help="articles per transaction")
    bench.set_defaults(handler=cmd_bench_data)

    manage = commands.add_parser(
        "manage", help="run a Django management command (migrate, createsuperuser, …)"
    )
    manage.add_argument("arguments", nargs=argparse.REMAINDER)
    manage.set_defaults(handler=cmd_manage)

    for name, about in (
        ("import-wxr", "import a WordPress export: FILE [--dry-run] [--uploads DIR]"),
        ("export-wxr", "export the site as a WordPress WXR file: [-o FILE] [--site-url URL]"),
    ):
        wordpress = commands.add_parser(name, help=about, add_help=False)
        wordpress.add_argument("arguments", nargs=argparse.REMAINDER)
        wordpress.set_defaults(handler=cmd_wordpress)
    return parser


WORDPRESS_COMMANDS = ("import-wxr", "export-wxr")


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in WORDPRESS_COMMANDS:  # every option belongs to the command
        cmd_wordpress(argparse.Namespace(command=argv[0], arguments=argv[1:]))
        return
    args = build_parser().parse_args(argv)
    args.handler(args)
