"""The breeze command tree."""

from breeze.cli import build_commands as build
from breeze.cli import ci_image_commands as ci_image
from breeze.cli import constraints_commands as constraints_cli
from breeze.cli import devenv_commands as dev_env
from breeze.cli import doctor_command as doctor_cli
from breeze.cli import prod_image_commands as prod_image
from breeze.cli import setup_commands as setup_cli
from breeze.cli import wizard_command as wizard_cli
from breeze.cli.root import SUMMARY, new_app

app = new_app()
app.add_typer(prod_image.app, name="prod-image", short_help=SUMMARY["prod-image"])
app.command("build-image", short_help=SUMMARY["build-image"])(build.build_image)
app.add_typer(ci_image.app, name="ci-image", short_help=SUMMARY["ci-image"])
app.command("shell", short_help=SUMMARY["shell"])(dev_env.shell)
app.command("start-airflow", short_help=SUMMARY["start-airflow"])(dev_env.start_airflow)
app.command("exec", short_help=SUMMARY["exec"])(dev_env.exec_)
app.command("logs", short_help=SUMMARY["logs"])(dev_env.logs)
app.command("ps", short_help=SUMMARY["ps"])(dev_env.ps)
app.command("down", short_help=SUMMARY["down"])(dev_env.down)
app.add_typer(constraints_cli.app, name="constraints", short_help=SUMMARY["constraints"])
app.add_typer(setup_cli.app, name="setup", short_help=SUMMARY["setup"])
app.command("doctor", short_help=SUMMARY["doctor"])(doctor_cli.doctor)
app.command("wizard", short_help=SUMMARY["wizard"])(wizard_cli.wizard)
