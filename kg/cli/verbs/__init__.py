"""One module per ``kg`` verb: ``add_arguments(parser)`` and ``run(args) -> int``."""
