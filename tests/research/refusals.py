"""What the example scripts' parsers say of a number they cannot use."""

import pytest


def assert_refused_first(parse, argument, value, problem, capsys):
    """`parse([f"{argument}={value}"])` stops in the parser, before any work,
    with `argument ARGUMENT: expected a PROBLEM`."""
    with pytest.raises(SystemExit):
        parse([f"{argument}={value}"])
    assert f"argument {argument}: expected a {problem}" in capsys.readouterr().err
