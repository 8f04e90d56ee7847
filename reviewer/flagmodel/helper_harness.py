def check_helpers(views, report, repo):
    return None
