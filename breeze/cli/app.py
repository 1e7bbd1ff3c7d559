"""The breeze command tree."""

from breeze.cli import build, ci_image, dev_env, prod_image
from breeze.cli import constraints as constraints_cli
from breeze.cli import doctor as doctor_cli
from breeze.cli import setup as setup_cli
from breeze.cli import wizard as wizard_cli
from breeze.cli.options import accepting_answer
from breeze.cli.root import SUMMARY, new_app

app = new_app()
app.add_typer(prod_image.app, name="prod-image", short_help=SUMMARY["prod-image"])
app.command("build-image", short_help=SUMMARY["build-image"])(build.build_image)
app.add_typer(ci_image.app, name="ci-image", short_help=SUMMARY["ci-image"])
app.command("shell", short_help=SUMMARY["shell"])(dev_env.shell)
app.command("start-airflow", short_help=SUMMARY["start-airflow"])(dev_env.start_airflow)
app.command("exec", short_help=SUMMARY["exec"])(accepting_answer(dev_env.exec_))
app.command("logs", short_help=SUMMARY["logs"])(accepting_answer(dev_env.logs))
app.command("ps", short_help=SUMMARY["ps"])(accepting_answer(dev_env.ps))
app.command("down", short_help=SUMMARY["down"])(accepting_answer(dev_env.down))
app.add_typer(constraints_cli.app, name="constraints", short_help=SUMMARY["constraints"])
app.add_typer(setup_cli.app, name="setup", short_help=SUMMARY["setup"])
app.command("doctor", short_help=SUMMARY["doctor"])(doctor_cli.doctor)
app.command("wizard", short_help=SUMMARY["wizard"])(accepting_answer(wizard_cli.wizard))
