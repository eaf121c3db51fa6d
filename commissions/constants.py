import zoneinfo
from datetime import time

# Standard voting hours, local time (Law, art. 38). The countdown runs on the capital's clock:
# stations in the UTC+5 regions open an hour later by it.
VOTING_OPENS_AT = time(7, 0)
VOTING_CLOSES_AT = time(20, 0)
COUNTDOWN_TIMEZONE = zoneinfo.ZoneInfo("Asia/Almaty")
