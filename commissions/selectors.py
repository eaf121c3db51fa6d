from core.scoping import Level, Scope

from .models import CommissionMember


def scope_for_user(user) -> Scope:
    """The scope of a staff user: the commission of their current membership.

    CEC staff see everything; territorial and district staff their region; a precinct member their
    own commission (and so their own station). A user with no current membership sees nothing
    beyond public data.
    """
    membership = (
        CommissionMember.objects.active()
        .filter(user=user)
        .select_related("commission")
        .order_by("-started_on")
        .first()
    )
    if membership is None:
        return Scope(Level.NONE)
    commission = membership.commission
    return Scope(
        commission.scope_level,
        region_id=commission.region_id,
        commission_id=commission.pk,
    )
