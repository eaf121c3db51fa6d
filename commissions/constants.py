import zoneinfo
from datetime import time

# Standard voting hours, local time (Law, art. 38). The countdown runs on the capital's clock:
# stations in the UTC+5 regions open an hour later by it.
VOTING_OPENS_AT = time(7, 0)
VOTING_CLOSES_AT = time(20, 0)
COUNTDOWN_TIMEZONE = zoneinfo.ZoneInfo("Asia/Almaty")

# Another time a territorial commission sets for a station may not start before 06:00 nor end
# after 22:00 local time (Law, art. 38); an election's default hours keep within them too.
VOTING_EARLIEST_OPENING = time(6, 0)
VOTING_LATEST_CLOSING = time(22, 0)
