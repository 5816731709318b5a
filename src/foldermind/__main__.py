from foldermind.cli import app

app(prog_name="foldermind")
