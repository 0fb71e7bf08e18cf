"""The start page after sign-in."""
from flask import Blueprint, render_template
from flask_login import login_required

bp = Blueprint("main", __name__)


@bp.get("/")
@login_required
def index():
    """Show where each of the user's roles starts."""
    return render_template("home.html")
