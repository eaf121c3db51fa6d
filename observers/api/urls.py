app_name = "observers-api"

urlpatterns: list = []
